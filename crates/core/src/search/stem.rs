//! Porter's stemming algorithm for English (M. F. Porter, "An algorithm for suffix
//! stripping", 1980), written for Quire. Works on folded ASCII words; any other word is
//! returned unchanged.

struct Word {
    b: Vec<u8>,
    /// End of the word (exclusive) while stripping.
    k: usize,
    /// End of the stem before the suffix being looked at.
    j: usize,
}

impl Word {
    fn cons(&self, i: usize) -> bool {
        match self.b[i] {
            b'a' | b'e' | b'i' | b'o' | b'u' => false,
            b'y' => i == 0 || !self.cons(i - 1),
            _ => true,
        }
    }

    /// The measure m of `b[..j]`: the number of vowel-consonant sequences.
    fn m(&self) -> usize {
        let mut n = 0;
        let mut i = 0;
        let j = self.j;
        while i < j && self.cons(i) {
            i += 1;
        }
        loop {
            while i < j && !self.cons(i) {
                i += 1;
            }
            if i >= j {
                return n;
            }
            while i < j && self.cons(i) {
                i += 1;
            }
            n += 1;
        }
    }

    /// `b[..j]` holds a vowel.
    fn vowel_in_stem(&self) -> bool {
        (0..self.j).any(|i| !self.cons(i))
    }

    /// `b[..end]` ends with a double consonant.
    fn double_cons(&self, end: usize) -> bool {
        end >= 2 && self.b[end - 1] == self.b[end - 2] && self.cons(end - 1)
    }

    /// `b[..end]` ends consonant-vowel-consonant, the last not w, x or y.
    fn cvc(&self, end: usize) -> bool {
        if end < 3 || !self.cons(end - 1) || self.cons(end - 2) || !self.cons(end - 3) {
            return false;
        }
        !matches!(self.b[end - 1], b'w' | b'x' | b'y')
    }

    fn ends(&mut self, s: &str) -> bool {
        let s = s.as_bytes();
        if s.len() > self.k || &self.b[self.k - s.len()..self.k] != s {
            return false;
        }
        self.j = self.k - s.len();
        true
    }

    /// Replaces `b[j..k]` by `s`.
    fn set_to(&mut self, s: &str) {
        self.b.truncate(self.j);
        self.b.extend_from_slice(s.as_bytes());
        self.k = self.b.len();
    }

    fn replace_if_m(&mut self, s: &str) {
        if self.m() > 0 {
            self.set_to(s);
        }
    }

    fn step1ab(&mut self) {
        if self.b[self.k - 1] == b's' {
            if self.ends("sses") {
                self.k -= 2;
            } else if self.ends("ies") {
                self.j = self.k - 3;
                self.set_to("i");
            } else if self.k >= 2 && self.b[self.k - 2] != b's' {
                self.k -= 1;
            }
            self.b.truncate(self.k);
        }
        if self.ends("eed") {
            if self.m() > 0 {
                self.k -= 1;
                self.b.truncate(self.k);
            }
        } else if (self.ends("ed") || self.ends("ing")) && self.vowel_in_stem() {
            self.k = self.j;
            self.b.truncate(self.k);
            if self.ends("at") || self.ends("bl") || self.ends("iz") {
                self.j = self.k;
                self.set_to("e");
            } else if self.double_cons(self.k) {
                if !matches!(self.b[self.k - 1], b'l' | b's' | b'z') {
                    self.k -= 1;
                    self.b.truncate(self.k);
                }
            } else {
                self.j = self.k;
                if self.m() == 1 && self.cvc(self.k) {
                    self.set_to("e");
                }
            }
        }
    }

    fn step1c(&mut self) {
        if self.ends("y") && self.vowel_in_stem() {
            self.b[self.k - 1] = b'i';
        }
    }

    fn step2(&mut self) {
        const RULES: &[(&str, &str)] = &[
            ("ational", "ate"),
            ("tional", "tion"),
            ("enci", "ence"),
            ("anci", "ance"),
            ("izer", "ize"),
            ("bli", "ble"),
            ("alli", "al"),
            ("entli", "ent"),
            ("eli", "e"),
            ("ousli", "ous"),
            ("ization", "ize"),
            ("ation", "ate"),
            ("ator", "ate"),
            ("alism", "al"),
            ("iveness", "ive"),
            ("fulness", "ful"),
            ("ousness", "ous"),
            ("aliti", "al"),
            ("iviti", "ive"),
            ("biliti", "ble"),
            ("logi", "log"),
        ];
        self.rules(RULES);
    }

    fn step3(&mut self) {
        const RULES: &[(&str, &str)] = &[
            ("icate", "ic"),
            ("ative", ""),
            ("alize", "al"),
            ("iciti", "ic"),
            ("ical", "ic"),
            ("ful", ""),
            ("ness", ""),
        ];
        self.rules(RULES);
    }

    /// The first rule whose suffix matches is the only one tried.
    fn rules(&mut self, rules: &[(&str, &str)]) {
        // Longest suffixes first among those sharing an ending, as in the paper's table:
        // try every rule, keep the longest match.
        let mut best: Option<(&str, &str)> = None;
        for &(suffix, to) in rules {
            if self.ends(suffix) && best.is_none_or(|(s, _)| suffix.len() > s.len()) {
                best = Some((suffix, to));
            }
        }
        if let Some((suffix, to)) = best {
            self.j = self.k - suffix.len();
            self.replace_if_m(to);
        }
    }

    fn step4(&mut self) {
        const SUFFIXES: &[&str] = &[
            "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion",
            "ou", "ism", "ate", "iti", "ous", "ive", "ize",
        ];
        let mut best: Option<&str> = None;
        for &s in SUFFIXES {
            if self.ends(s) && best.is_none_or(|b| s.len() > b.len()) {
                best = Some(s);
            }
        }
        let Some(s) = best else { return };
        self.j = self.k - s.len();
        if s == "ion" && !(self.j > 0 && matches!(self.b[self.j - 1], b's' | b't')) {
            return;
        }
        if self.m() > 1 {
            self.k = self.j;
            self.b.truncate(self.k);
        }
    }

    fn step5(&mut self) {
        self.j = self.k;
        if self.b[self.k - 1] == b'e' {
            self.j = self.k - 1;
            let a = self.m();
            if a > 1 || (a == 1 && !self.cvc(self.k - 1)) {
                self.k -= 1;
                self.b.truncate(self.k);
            }
        }
        self.j = self.k;
        if self.b[self.k - 1] == b'l' && self.double_cons(self.k) && self.m() > 1 {
            self.k -= 1;
            self.b.truncate(self.k);
        }
    }
}

/// The Porter stem of a folded word (`running` → `run`, `ponies` → `poni`). Words of
/// one or two letters, and words with anything but ASCII lower-case letters, stay as
/// they are.
pub fn stem(word: &str) -> String {
    if word.len() <= 2 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_string();
    }
    let mut w = Word {
        b: word.as_bytes().to_vec(),
        k: word.len(),
        j: 0,
    };
    w.step1ab();
    if w.k > 1 {
        w.step1c();
        w.step2();
        w.step3();
        w.step4();
        w.step5();
    }
    w.b.truncate(w.k);
    String::from_utf8(w.b).expect("ASCII in, ASCII out")
}

#[cfg(test)]
mod tests {
    use super::stem;
    use proptest::prelude::*;

    proptest! {
        // Query::highlights skips words whose first letter starts no query key: it relies
        // on a stem keeping its word's first letter.
        #[test]
        fn a_stem_keeps_the_first_letter(word in "[a-z]{1,14}") {
            let s = stem(&word);
            prop_assert!(!s.is_empty());
            prop_assert_eq!(s.as_bytes()[0], word.as_bytes()[0]);
        }
    }

    #[test]
    fn examples_from_the_paper() {
        for (w, s) in [
            ("caresses", "caress"),
            ("ponies", "poni"),
            ("ties", "ti"),
            ("caress", "caress"),
            ("cats", "cat"),
            ("feed", "feed"),
            ("agreed", "agre"),
            ("plastered", "plaster"),
            ("bled", "bled"),
            ("motoring", "motor"),
            ("sing", "sing"),
            ("conflated", "conflat"),
            ("troubled", "troubl"),
            ("sized", "size"),
            ("hopping", "hop"),
            ("tanned", "tan"),
            ("falling", "fall"),
            ("hissing", "hiss"),
            ("fizzed", "fizz"),
            ("failing", "fail"),
            ("filing", "file"),
            ("happy", "happi"),
            ("sky", "sky"),
            ("relational", "relat"),
            ("conditional", "condit"),
            ("rational", "ration"),
            ("valenci", "valenc"),
            ("digitizer", "digit"),
            ("conformabli", "conform"),
            ("radicalli", "radic"),
            ("differentli", "differ"),
            ("vileli", "vile"),
            ("analogousli", "analog"),
            ("vietnamization", "vietnam"),
            ("predication", "predic"),
            ("operator", "oper"),
            ("feudalism", "feudal"),
            ("decisiveness", "decis"),
            ("hopefulness", "hope"),
            ("callousness", "callous"),
            ("formaliti", "formal"),
            ("sensitiviti", "sensit"),
            ("sensibiliti", "sensibl"),
            ("triplicate", "triplic"),
            ("formative", "form"),
            ("formalize", "formal"),
            ("electriciti", "electr"),
            ("electrical", "electr"),
            ("hopeful", "hope"),
            ("goodness", "good"),
            ("revival", "reviv"),
            ("allowance", "allow"),
            ("inference", "infer"),
            ("airliner", "airlin"),
            ("gyroscopic", "gyroscop"),
            ("adjustable", "adjust"),
            ("defensible", "defens"),
            ("irritant", "irrit"),
            ("replacement", "replac"),
            ("adjustment", "adjust"),
            ("dependent", "depend"),
            ("adoption", "adopt"),
            ("homologou", "homolog"),
            ("communism", "commun"),
            ("activate", "activ"),
            ("angulariti", "angular"),
            ("homologous", "homolog"),
            ("effective", "effect"),
            ("bowdlerize", "bowdler"),
            ("probate", "probat"),
            ("rate", "rate"),
            ("cease", "ceas"),
            ("controll", "control"),
            ("roll", "roll"),
            ("generalizations", "gener"),
            ("oscillators", "oscil"),
        ] {
            assert_eq!(stem(w), s, "{w}");
        }
    }

    #[test]
    fn inflections_meet() {
        assert_eq!(stem("running"), "run");
        assert_eq!(stem("runs"), "run");
        assert_eq!(stem("run"), "run");
        assert_eq!(stem("is"), "is");
        assert_eq!(stem("café"), "café");
        assert_eq!(stem("h2o"), "h2o");
    }
}

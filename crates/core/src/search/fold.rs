//! Case and diacritics folding and the tokenizer shared by the index and the query.
//!
//! Folding lower-cases and strips the accents of Latin letters (`Café` → `cafe`,
//! `Straße` → `strasse`, `Łódź` → `lodz`); combining marks are dropped, so decomposed text
//! folds the same as composed text. Other scripts are only lower-cased.
//!
//! Tokens are runs of letters and digits. Han, Hiragana and Katakana characters are
//! tokens of their own, one character each, with a flag telling whether the previous
//! token was the character just before: scripts without spaces are indexed as character
//! bigrams (see [`super::analyze`]).

/// Longest word kept, in bytes of folded text; longer words are cut (the same way on the
/// index side and the query side, so they still match).
pub const MAX_WORD_BYTES: usize = 40;

/// Latin-1 lower-case letters from U+00DF to U+00FF. Upper-case markers expand:
/// `S` → "ss", `A` → "ae", `T` → "th"; `*` is not a letter (÷).
const LATIN1: &[u8; 33] = b"SaaaaaaAceeeeiiiidnooooo*ouuuuyTy";

/// Latin Extended-A, U+0100 to U+017F, both cases. `J` → "ij", `O` → "oe".
const LATIN_EXT_A: &[u8; 128] = b"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiJJjjkkkllllllllllnnnnnnnnnooooooOOrrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/// Whether `c` belongs to a script written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFF66..=0xFF9F | 0x20000..=0x2FFFF)
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn push_marker(out: &mut String, b: u8) {
    match b {
        b'S' => out.push_str("ss"),
        b'A' => out.push_str("ae"),
        b'T' => out.push_str("th"),
        b'J' => out.push_str("ij"),
        b'O' => out.push_str("oe"),
        b => out.push(b as char),
    }
}

/// Appends the folded form of one character (letters and digits only; anything else is
/// appended lower-cased).
pub fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for l in c.to_lowercase() {
        match l as u32 {
            0xDF..=0xFF => push_marker(out, LATIN1[l as usize - 0xDF]),
            0x100..=0x17F => push_marker(out, LATIN_EXT_A[l as usize - 0x100]),
            0x218 | 0x219 => out.push('s'),
            0x21A | 0x21B => out.push('t'),
            _ if is_combining(l) => {}
            _ => out.push(l),
        }
    }
}

/// The folded form of a whole text (letters and digits folded, the rest lower-cased).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// One token of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    /// Folded text: a word, or a single CJK character.
    pub text: &'a str,
    /// Byte range in the original text.
    pub start: usize,
    pub end: usize,
    /// A CJK character.
    pub cjk: bool,
    /// A CJK character that directly follows another one (no gap between them).
    pub joined: bool,
}

/// Calls `f` with every token of `text`, in order.
pub fn tokens(text: &str, mut f: impl FnMut(Token<'_>)) {
    let mut word = String::new();
    let mut word_start = 0;
    let mut word_end = 0;
    let mut in_word = false;
    let mut last_cjk_end = usize::MAX;
    let mut cjk_buf = String::new();
    let flush = |word: &mut String, start: usize, end: usize, f: &mut dyn FnMut(Token<'_>)| {
        if word.len() > MAX_WORD_BYTES {
            let mut cut = MAX_WORD_BYTES;
            while !word.is_char_boundary(cut) {
                cut -= 1;
            }
            word.truncate(cut);
        }
        if !word.is_empty() {
            f(Token {
                text: word,
                start,
                end,
                cjk: false,
                joined: false,
            });
        }
        word.clear();
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII, most of most texts: no decoding, no tables.
        if b < 0x80 {
            if b.is_ascii_alphanumeric() {
                if !in_word {
                    in_word = true;
                    word_start = i;
                }
                word.push(b.to_ascii_lowercase() as char);
                word_end = i + 1;
            } else if in_word {
                flush(&mut word, word_start, word_end, &mut f);
                in_word = false;
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().expect("i is on a char boundary");
        let end = i + c.len_utf8();
        if is_cjk(c) {
            if in_word {
                flush(&mut word, word_start, word_end, &mut f);
                in_word = false;
            }
            cjk_buf.clear();
            fold_char(c, &mut cjk_buf);
            f(Token {
                text: &cjk_buf,
                start: i,
                end,
                cjk: true,
                joined: last_cjk_end == i,
            });
            last_cjk_end = end;
        } else if c.is_alphanumeric() || (in_word && is_combining(c)) {
            if !in_word {
                in_word = true;
                word_start = i;
            }
            fold_char(c, &mut word);
            word_end = end;
        } else if in_word {
            flush(&mut word, word_start, word_end, &mut f);
            in_word = false;
        }
        i = end;
    }
    if in_word {
        flush(&mut word, word_start, word_end, &mut f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        tokens(text, |t| v.push(t.text.to_string()));
        v
    }

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(
            fold("Café CRÈME Straße Łódź Œuvre Ærø ÿ"),
            "cafe creme strasse lodz oeuvre aero y"
        );
        // Decomposed é (e + U+0301) folds like the composed one.
        assert_eq!(words("Cafe\u{301} au lait"), ["cafe", "au", "lait"]);
        assert_eq!(fold("ȘȚ"), "st");
    }

    #[test]
    fn splits_words_and_cjk() {
        let mut v = Vec::new();
        tokens("Hi, 東京都 x日本", |t| {
            v.push((t.text.to_string(), t.cjk, t.joined, t.start))
        });
        assert_eq!(v[0], ("hi".into(), false, false, 0));
        assert_eq!(v[1].0, "東");
        assert!(v[1].1 && !v[1].2);
        assert!(v[2].2 && v[3].2);
        assert_eq!(v[4], ("x".into(), false, false, 14));
        assert!(v[5].1 && !v[5].2, "a word between breaks the run");
        assert!(v[6].2);
    }

    #[test]
    fn cuts_long_words_on_a_char_boundary() {
        let long = "é".repeat(50);
        let w = words(&long);
        assert_eq!(w[0], "e".repeat(MAX_WORD_BYTES));
        let w = words(&"ж".repeat(50));
        assert!(w[0].len() <= MAX_WORD_BYTES && w[0].len() >= MAX_WORD_BYTES - 1);
    }
}

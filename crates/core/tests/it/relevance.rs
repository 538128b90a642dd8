//! Search relevance rules (issue 23), each on a few posts made for it: the word as typed
//! outranks its stem's relatives, no prefix on the way to a word finds nothing, headings
//! weigh more than paragraphs, and while a word is typed a rare completion is not buried
//! under a common one. The whole test set (generated from the sample blog and gen-corpus)
//! is the CLI's `relevance` test.

use crate::search_site::{SearchSite as Site, filler};
use quire_core::search::Document;

struct P {
    title: &'static str,
    headings: &'static str,
    body: String,
}

fn p(title: &'static str, body: &str) -> P {
    P {
        title,
        headings: "",
        body: body.to_string(),
    }
}

fn site(posts: &[P]) -> Site {
    let docs: Vec<Document<'_>> = posts
        .iter()
        .map(|p| Document {
            title: p.title,
            headings: p.headings,
            body: &p.body,
            ..Document::default()
        })
        .collect();
    Site::new(&docs, true)
}

#[test]
fn the_word_as_typed_outranks_its_stem_relatives() {
    let s = site(&[
        p(
            "Developer notes",
            &"The developer develops; development of developers, developed. ".repeat(5),
        ),
        p(
            "A garden diary",
            &format!("{} we are developing a plot {}", filler(30), filler(30)),
        ),
        p("Developers meet", "developers and development"),
    ]);
    for q in ["developing", "developing ", "we developing "] {
        assert_eq!(s.find(q).first(), Some(&1), "{q:?}");
    }
    // The relatives are still found, after it.
    assert_eq!(s.find("developing ").len(), 3);
}

#[test]
fn no_prefix_on_the_way_to_a_word_finds_nothing() {
    let s = site(&[
        p("Plans", "The final plan was finalized on Monday, finally."),
        p("Other", "Nothing of the kind here: fins and fish."),
        p("Running", "She was running late; the runner runs."),
    ]);
    let word = "finalized";
    for n in 2..=word.len() {
        let found = s.find(&word[..n]);
        assert!(found.contains(&0), "{:?} finds {found:?}", &word[..n]);
    }
    for (n, _) in "running".char_indices().skip(2) {
        assert!(s.find(&"running"[..n]).contains(&2));
    }
    // A half-typed inflection still finds the word it inflects.
    assert!(site(&[p("Run", "we run")]).find("runni").contains(&0));
}

#[test]
fn headings_weigh_more_than_paragraphs() {
    let body = format!("{} seedlings {}", filler(20), filler(20));
    let s = site(&[
        P {
            title: "One",
            headings: "",
            body: body.clone(),
        },
        P {
            title: "Two",
            headings: "Seedlings",
            body: body.clone(),
        },
    ]);
    assert_eq!(s.find("seedlings "), [1, 0]);
}

#[test]
fn a_rare_completion_is_not_buried_while_typing() {
    let mut posts: Vec<P> = (0..6)
        .map(|i| {
            p(
                [
                    "Green",
                    "Green one",
                    "Greens",
                    "Green two",
                    "Green three",
                    "Green four",
                ][i],
                "green green green",
            )
        })
        .collect();
    posts.push(p(
        "Late summer",
        &format!("{} the greenest week {}", filler(10), filler(10)),
    ));
    let s = site(&posts);
    for q in ["gre", "gree", "green", "greene", "greenes", "greenest"] {
        let found = s.find(q);
        let rank = found.iter().position(|&x| x == 6);
        assert!(rank.is_some_and(|r| r < 3), "{q:?}: {found:?}");
    }
    // Finished, the word is the word as written (and its stem's family, which
    // "greenest" is not part of for Porter's stemmer).
    assert_eq!(s.find("green ").len(), 6);
}

#[test]
fn every_word_must_match() {
    let s = site(&[
        p("A", "salt and flour"),
        p("B", "salt only"),
        p("C", "flour only"),
    ]);
    assert_eq!(s.find("salt flour"), [0]);
    assert_eq!(s.find("salt flour "), [0]);
}

//! The bonus for query words that stand close together and in the query's order (issue
//! 23): each case is a pair of posts that hold the same words equally often, one with them
//! side by side (or in order), the other with them far apart (or reversed). Without the
//! bonus the two score the same and the newer post (the lower position) comes first, so
//! every case puts the post that must win second in the bundle.

use crate::search_site::{SearchSite as Site, filler};
use quire_core::search::Document;

/// An index of posts (title, body).
fn site(posts: &[(&str, String)], stemming: bool) -> Site {
    let docs: Vec<Document<'_>> = posts
        .iter()
        .map(|(title, body)| Document {
            title,
            body,
            ..Document::default()
        })
        .collect();
    Site::new(&docs, stemming)
}

#[test]
fn words_side_by_side_outrank_the_same_words_far_apart() {
    for stemming in [true, false] {
        let s = site(
            &[
                (
                    "Apart",
                    format!("lighthouse {} {} keeper", filler(60), filler(60)),
                ),
                (
                    "Together",
                    format!(
                        "{} lighthouse keeper {} {}",
                        filler(60),
                        filler(30),
                        filler(30)
                    ),
                ),
            ],
            stemming,
        );
        // Finished words, the last one being typed, and its first letters.
        for q in [
            "lighthouse keeper ",
            "lighthouse keeper",
            "lighthouse keep",
            "keeper lighthouse ",
        ] {
            assert_eq!(s.find(q), [1, 0], "{q:?} (stemming: {stemming})");
        }
    }
}

#[test]
fn words_in_the_query_order_outrank_the_same_words_reversed() {
    let s = site(
        &[
            (
                "Reversed",
                format!("{} salt {} weights {}", filler(50), filler(6), filler(50)),
            ),
            (
                "In order",
                format!("{} weights {} salt {}", filler(50), filler(6), filler(50)),
            ),
        ],
        true,
    );
    assert_eq!(s.find("weights salt "), [1, 0]);
    assert_eq!(s.find("weights salt"), [1, 0]);
    assert_eq!(s.find("weights sa"), [1, 0]);
    // And the other way round.
    assert_eq!(s.find("salt weights "), [0, 1]);
}

#[test]
fn closer_is_better() {
    let s = site(
        &[
            ("Far", format!("alder {} birch", filler(120))),
            (
                "Nearer",
                format!("alder {} birch {}", filler(8), filler(112)),
            ),
            (
                "Nearest",
                format!("alder {} birch {}", filler(2), filler(118)),
            ),
        ],
        true,
    );
    assert_eq!(s.find("alder birch "), [2, 1, 0]);
}

#[test]
fn three_words_count_each_neighbouring_pair() {
    let s = site(
        &[
            (
                "Two of three together",
                format!("north west {} wind {}", filler(60), filler(60)),
            ),
            (
                "All three together",
                format!("{} north west wind {}", filler(60), filler(60)),
            ),
        ],
        true,
    );
    assert_eq!(s.find("north west wind "), [1, 0]);
}

#[test]
fn the_word_as_typed_still_outranks_relatives_standing_close() {
    // Closeness orders posts with the same words as typed; it never lifts a post that
    // holds only a relative of a word above one that holds the word itself.
    let s = site(
        &[
            (
                "The word itself, far",
                format!("garden {} planting {}", filler(100), filler(20)),
            ),
            (
                "A relative, close",
                format!("{} garden plants {}", filler(60), filler(60)),
            ),
        ],
        true,
    );
    assert_eq!(s.find("garden planting "), [0, 1]);
}

#[test]
fn a_title_hit_is_not_buried_by_body_closeness() {
    // The bonus is at most half the score: a word in the title still counts more than
    // the two words standing together in a body.
    let s = site(
        &[
            (
                "Sourdough starter",
                format!("starter {} sourdough {}", filler(60), filler(60)),
            ),
            (
                "Bread",
                format!("{} sourdough starter {}", filler(60), filler(60)),
            ),
        ],
        true,
    );
    assert_eq!(s.find("sourdough starter ").first(), Some(&0));
}

#[test]
fn cjk_pairs_of_one_word_stand_together() {
    // 東京都 is searched as the pairs 東京 and 京都: where they form the word, they stand
    // side by side in order.
    let pad = |n: usize| "的".repeat(n);
    let s = site(
        &[
            ("Apart", format!("京都{}東京", pad(200))),
            ("Together", format!("{}東京都{}", pad(100), pad(100))),
        ],
        false,
    );
    assert_eq!(s.find("東京都"), [1, 0]);
}

#[test]
fn words_only_in_the_title_have_no_position() {
    // No body occurrence, no closeness: the posts still rank by their scores.
    let s = site(
        &[
            ("Lighthouse keeper", filler(10)),
            ("Lighthouse", format!("{} keeper {}", filler(5), filler(5))),
        ],
        true,
    );
    assert_eq!(s.find("lighthouse keeper "), [0, 1]);
}

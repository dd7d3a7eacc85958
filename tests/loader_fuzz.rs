//! The loader never panics, whatever the bytes.

mod common;

use common::{MAIN, sources};
use kizuna::scenario::{LoadOptions, load};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, String),
    Replace(usize, char),
}

fn edit() -> impl Strategy<Value = Edit> {
    let piece = prop_oneof![
        Just("(".to_string()),
        Just(")".to_string()),
        Just("[".to_string()),
        Just("\"".to_string()),
        Just("/*".to_string()),
        Just("r#\"".to_string()),
        Just("99999999999999999999".to_string()),
        Just("-1".to_string()),
        Just("include: [\"../x\"],".to_string()),
        Just("\"cert\"".to_string()),
        "\\PC{0,8}",
    ];
    prop_oneof![
        (any::<usize>(), 1usize..20).prop_map(|(a, n)| Edit::Delete(a, n)),
        (any::<usize>(), piece).prop_map(|(a, s)| Edit::Insert(a, s)),
        (any::<usize>(), any::<char>()).prop_map(|(a, c)| Edit::Replace(a, c)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        let len = chars.len().max(1);
        match e {
            Edit::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(chars.len());
                if at < end {
                    chars.drain(at..end);
                }
            }
            Edit::Insert(at, s) => {
                let at = at % (chars.len() + 1);
                chars.splice(at..at, s.chars());
            }
            Edit::Replace(at, c) => {
                if !chars.is_empty() {
                    let at = at % chars.len();
                    chars[at] = *c;
                }
            }
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let _ = load(&sources(&text), "s/main.ron", &LoadOptions::default());
    }

    #[test]
    fn mutated_scenarios_never_panic(edits in proptest::collection::vec(edit(), 1..6)) {
        let text = apply(MAIN, &edits);
        match load(&sources(&text), "s/main.ron", &LoadOptions::default()) {
            Ok(_) => {}
            // Every error can be shown both ways without panicking.
            Err(e) => {
                prop_assert!(!e.location_lines().is_empty());
                let _ = format!("{:?}", miette::Report::new(e));
            }
        }
    }
}

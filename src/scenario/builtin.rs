//! The built-in scenarios and shared assets, embedded in the binary so that
//! `kizuna play tutorial` works from any folder.
//!
//! To ship another scenario, add its id to the `scenarios` list below; the
//! file `scenarios/<id>.ron` is embedded under that logical path.

use serde::Deserialize;

use super::schema::Text;

macro_rules! embed {
    (scenarios: [$($id:literal),* $(,)?], assets: [$($asset:literal),* $(,)?] $(,)?) => {
        const SCENARIOS: &[(&str, &str)] = &[$(($id, concat!("scenarios/", $id, ".ron"))),*];
        const FILES: &[(&str, &str)] = &[
            $((
                concat!("scenarios/", $id, ".ron"),
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/", $id, ".ron")),
            ),)*
            $(($asset, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $asset))),)*
        ];
    };
}

embed! {
    scenarios: ["tokyo-games", "pension-breach", "grid-outage", "tutorial"],
    assets: [
        "assets/techniques.ron",
        "assets/decisions.ron",
        "assets/tuning.ron",
        "assets/organisations/japan.ron",
        "assets/organisations/united-states.ron",
        "assets/organisations/partners.ron",
    ],
}

/// Logical path of the ATT&CK technique table every scenario uses.
pub const TECHNIQUES_PATH: &str = "assets/techniques.ron";
/// Logical path of the decision catalogue every scenario uses.
pub const DECISIONS_PATH: &str = "assets/decisions.ron";
/// Logical path of the model constants every scenario uses.
pub const TUNING_PATH: &str = "assets/tuning.ron";

/// The built-in scenarios: (id, logical path), in listing order.
pub fn builtin_ids() -> &'static [(&'static str, &'static str)] {
    SCENARIOS
}

/// The logical path of a built-in scenario, if `id` names one.
pub fn builtin_path(id: &str) -> Option<&'static str> {
    SCENARIOS.iter().find(|(i, _)| *i == id).map(|(_, p)| *p)
}

/// Text of an embedded file by logical path (`scenarios/…` or `assets/…`).
pub fn builtin_file(path: &str) -> Option<&'static str> {
    FILES.iter().find(|(p, _)| *p == path).map(|(_, t)| *t)
}

/// Every embedded file: (logical path, text).
pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
    FILES
}

#[derive(Deserialize)]
struct TitleOnly {
    title: Text,
}

/// Id and title of each built-in scenario, for `kizuna list`. A scenario
/// whose title cannot be read is listed with its id as the title.
pub fn builtin_titles() -> Vec<(&'static str, Text)> {
    SCENARIOS
        .iter()
        .map(|(id, path)| {
            let title = builtin_file(path)
                .and_then(|text| {
                    ron::Options::default()
                        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
                        .from_str::<TitleOnly>(text)
                        .ok()
                })
                .map(|t| t.title)
                .unwrap_or_else(|| Text {
                    en: (*id).to_string(),
                    ja: (*id).to_string(),
                });
            (*id, title)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_scenario_is_embedded() {
        for (id, path) in builtin_ids() {
            assert!(builtin_file(path).is_some(), "{id} has no embedded file");
            assert_eq!(builtin_path(id), Some(*path));
        }
        assert!(builtin_file(TECHNIQUES_PATH).is_some());
        assert!(builtin_file(DECISIONS_PATH).is_some());
        assert_eq!(builtin_path("no-such-scenario"), None);
    }

    #[test]
    fn titles_are_read_from_the_files() {
        let titles = builtin_titles();
        assert_eq!(titles.len(), builtin_ids().len());
        for (id, title) in &titles {
            assert!(!title.en.is_empty() && !title.ja.is_empty(), "{id}");
            // A parsed title differs from the id fallback.
            assert!(title.en != *id || title.ja != *id, "{id}");
        }
        assert!(titles.iter().any(|(id, _)| *id == "tutorial"));
    }
}

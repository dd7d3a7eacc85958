//! One generic loader for the UI's data files in `assets/ui/`, which are
//! embedded in the binary.

use serde::de::DeserializeOwned;

/// Parses an embedded RON table; the files ship with the binary and are
/// checked by tests, so a failure is a build defect and says which file.
pub fn load<T: DeserializeOwned>(name: &str, text: &str) -> T {
    match ron::from_str(text) {
        Ok(v) => v,
        Err(e) => panic!("assets/ui/{name} does not parse: {e}"),
    }
}

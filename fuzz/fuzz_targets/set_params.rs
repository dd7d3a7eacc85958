//! Any lines as `--set PATH=VALUE` arguments against the tutorial: each is
//! applied or refused with a diagnostic, never a panic; a scenario the
//! parameters leave valid must also play a few turns without a panic.
#![no_main]
#![forbid(unsafe_code)]

use std::sync::OnceLock;

use kizuna::policy::PolicyKind;
use kizuna::scenario::load::{LoadOptions, Loaded, load_builtin};
use kizuna::scenario::params::apply_all;
use kizuna::session::{Controller, Session};
use libfuzzer_sys::fuzz_target;

/// Turns played after the parameters apply: enough to reach every phase
/// of the model, few enough to keep an input fast.
const TURNS_PLAYED: u32 = 3;

/// Loading the tutorial costs far more than applying parameters to it.
fn tutorial() -> &'static Loaded {
    static TUTORIAL: OnceLock<Loaded> = OnceLock::new();
    TUTORIAL.get_or_init(|| {
        load_builtin("tutorial", &LoadOptions::default()).expect("the built-in tutorial loads")
    })
}

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let args: Vec<String> = text.lines().map(str::to_string).collect();
    match apply_all(tutorial(), &args) {
        Ok(changed) => {
            if args.is_empty() {
                return;
            }
            let controllers = Session::controllers_for(
                &changed.scenario,
                &[],
                Controller::Policy(PolicyKind::Doctrine),
            )
            .expect("no team overrides, so every team is known");
            let mut session = Session::new(&changed, 1, controllers, false);
            session.run(TURNS_PLAYED, |_| {});
        }
        Err(err) => {
            assert!(
                !err.location_lines().is_empty(),
                "a refused --set is located"
            );
            let _ = format!("{:?}", miette::Report::new(err));
        }
    }
});

//! The model's constants as data: `assets/tuning.ron` holds every value,
//! a scenario may override some (`tuning: {"name": value}`), and `--set
//! tuning.NAME=VALUE` overrides them again. The names below are a contract:
//! sweeps and scripts address them.

use serde::{Deserialize, Serialize};

/// Declares the tuning table once: the struct, its field names and
/// meanings, and typed access by name for parameters.
macro_rules! tuning_table {
    ($($(#[doc = $doc:literal])+ $name:ident: $ty:ty,)+) => {
        /// Every model constant, by name.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Tuning {
            $($(#[doc = $doc])+ pub $name: $ty,)+
        }

        /// (name, meaning, lowest, highest) of every tuning value.
        pub const TUNING_FIELDS: &[(&str, &str, i64, i64)] = &[
            $((stringify!($name), concat!($($doc),+), <$ty>::MIN as i64, <$ty>::MAX as i64),)+
        ];

        impl Tuning {
            /// The value of a named constant.
            pub fn get(&self, name: &str) -> Option<i64> {
                match name {
                    $(stringify!($name) => Some(self.$name as i64),)+
                    _ => None,
                }
            }

            /// Sets a named constant; the value must fit its type.
            pub fn set(&mut self, name: &str, value: i64) -> Result<(), TuningError> {
                match name {
                    $(stringify!($name) => {
                        self.$name = <$ty>::try_from(value).map_err(|_| TuningError::OutOfRange {
                            min: <$ty>::MIN as i64,
                            max: <$ty>::MAX as i64,
                        })?;
                        Ok(())
                    })+
                    _ => Err(TuningError::Unknown),
                }
            }
        }
    };
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TuningError {
    Unknown,
    OutOfRange { min: i64, max: i64 },
}

impl TuningError {
    pub fn describe(&self, name: &str, value: i64) -> String {
        match self {
            TuningError::Unknown => format!("no tuning value '{name}'"),
            TuningError::OutOfRange { min, max } => {
                format!("tuning value '{name}' must be between {min} and {max}, not {value}")
            }
        }
    }
}

/// The names of every tuning value, in declaration order.
pub fn tuning_names() -> impl Iterator<Item = &'static str> {
    TUNING_FIELDS.iter().map(|(n, ..)| *n)
}

tuning_table! {
    /// Public trust gained by a statement made once the team knows of a compromise, permille.
    statement_informed_public_trust: i16,
    /// Public trust lost by a statement with nothing known to say, permille.
    statement_uninformed_public_trust: i16,
    /// Alliance trust gained by a correct public attribution, permille.
    attribution_correct_alliance_trust: i16,
    /// Public trust gained by a correct public attribution, permille.
    attribution_correct_public_trust: i16,
    /// Alliance trust lost by a wrong public attribution, permille.
    attribution_wrong_alliance_trust: i16,
    /// Public trust lost by a wrong public attribution, permille.
    attribution_wrong_public_trust: i16,
    /// Public trust lost by each active-defence operation by a Japanese organisation (civil liberties at home), permille.
    active_defence_public_trust: i16,
    /// Public trust lost by each active-defence operation by an ally's organisation, permille.
    allied_active_defence_public_trust: i16,
    /// Attacker servers a law-enforcement takedown removes.
    takedown_servers: u16,
    /// A takedown's chance of success, permille of the catalogue's, while no victim has reported to the law-enforcement body: seizing servers needs a case.
    takedown_without_complaint: u16,
    /// Attacker servers an active-defence operation removes.
    active_defence_servers: u16,
    /// Public trust lost by each rise of the national alert level, permille.
    alert_public_trust: i16,
    /// Public trust lost by Article 5 consultations opened while the harm the consulting team knows of is below the threshold, permille.
    article5_premature_public_trust: i16,
    /// Alliance trust gained by Article 5 consultations opened once the harm is serious, permille.
    article5_timely_alliance_trust: i16,
    /// Alliance trust lost each turn the harm stays above the threshold without consultations, after the grace turns, permille.
    article5_unanswered_alliance_trust_per_turn: i16,
    /// Turns after the escalation threshold is reached before silence counts against the alliance.
    escalation_grace: u16,
    /// Harm (criticality-weighted availability lost, permille) at which consultations are appropriate when the scenario sets no escalation objective.
    escalation_threshold: u16,
    /// Alliance trust gained when a standing liaison opens, permille.
    liaison_alliance_trust: i16,
    /// Trust added between Japanese and US organisations while a liaison is in place, permille.
    liaison_trust: u16,
    /// Share of a cross-border channel's delay a liaison keeps, permille (500 halves it).
    liaison_delay_permille: u16,
    /// Public trust lost the first time each asset is defaced, permille.
    deface_public_trust: i16,
    /// Integrity a defacement removes each turn, permille.
    deface_integrity_damage: u16,
    /// Weight of the lead a planted false-flag artefact (inject) gives an analyst.
    false_lead_weight: u16,
    /// Trust a sender loses in a recipient that leaked its intel, permille.
    leak_trust_cost: u16,
    /// Alliance trust lost when intel shared across the alliance leaks, permille.
    leak_alliance_cost: u16,
    /// Trust a recipient gains in the sender per delivered message, permille.
    trust_per_message: u16,
    /// Turns a message takes between organisations of one nation without an explicit channel.
    same_nation_delay: u16,
    /// Turns a message takes across nations without an explicit channel.
    cross_border_delay: u16,
    /// Trust (permille) below which a message waits for vetting.
    low_trust: u16,
    /// Extra turns a message to a partner trusted below `low_trust` waits.
    low_trust_delay: u16,
    /// Trust (permille) a sender needs in a recipient to share at TLP:AMBER.
    tlp_amber_trust: u16,
    /// Trust (permille) a sender needs in a recipient to share at TLP:RED.
    tlp_red_trust: u16,
    /// Monitoring a completed Monitor action adds, permille.
    monitor_step: u16,
    /// Detection bonus of a completed threat hunt, basis points.
    hunt_bp: u16,
    /// Chance (bp, before stealth) that national traffic analysis spots an attacker on an internet-facing asset.
    traffic_analysis_bp: u16,
    /// Free staff an analyst needs for traffic analysis at full strength; with fewer it sees proportionally less.
    traffic_analysis_staff: u16,
    /// Share of the lender's staff that assistance moves over, permille.
    assistance_share: u16,
    /// Trust each side gains in the other when assistance arrives, permille.
    assistance_trust: u16,
    /// Lateral moves one attacker may make in a turn.
    max_moves_per_turn: u16,
    /// Turns an attacker keeps looking for unreached targets before moving on.
    attacker_patience: u16,
    /// Chance (bp, before skill) to move to a linked asset with no matching weakness.
    base_move_bp: u16,
    /// `doctrine`: harm it estimates from what its team sees (services down, weighted by criticality, permille, once it knows of an intrusion) at which it consults under Article 5.
    doctrine_article5_harm: u16,
    /// `doctrine`: summed lead weight, from at least `doctrine_attribution_sources` sources, before it attributes publicly.
    doctrine_attribution_confidence: u16,
    /// `doctrine`: independent sources a lead needs before it attributes publicly.
    doctrine_attribution_sources: u16,
    /// `doctrine`: monitoring (permille) it wants on critical and internet-facing assets.
    doctrine_monitoring_goal: u16,
}

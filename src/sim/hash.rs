//! The state hash: xxh3-64 over a canonical little-endian encoding of the
//! whole simulation state, visited in stable order. Never `std`'s hasher,
//! never `Entity` bits, never hash-map order.
//!
//! Encoding: integers little-endian at their own width, bools as one byte,
//! strings and lists prefixed with their length as u64, options as a 0/1
//! byte then the value. Sections in this order: clock, organisations,
//! assets, attackers, compromises (by stable id), actions, mailbox,
//! politics, metrics, injects fired, decisions taken, objectives.

use bevy_ecs::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::agenda::Agenda;
use super::components::*;
use super::decision::{Action, Decision};
use super::knowledge::{Facts, KnownCompromise, KnownEviction, Lead};
use super::resources::*;
use crate::scenario::model::TrustMap;

pub struct Encoder(Xxh3);

impl Default for Encoder {
    fn default() -> Self {
        Encoder(Xxh3::new())
    }
}

impl Encoder {
    pub fn u8(&mut self, v: u8) {
        self.0.update(&[v]);
    }
    pub fn u16(&mut self, v: u16) {
        self.0.update(&v.to_le_bytes());
    }
    pub fn u32(&mut self, v: u32) {
        self.0.update(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.0.update(&v.to_le_bytes());
    }
    pub fn bool(&mut self, v: bool) {
        self.u8(u8::from(v));
    }
    pub fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }
    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.update(s.as_bytes());
    }
    pub fn opt_u32(&mut self, v: Option<u32>) {
        match v {
            Some(x) => {
                self.u8(1);
                self.u32(x);
            }
            None => self.u8(0),
        }
    }
    pub fn finish(&self) -> u64 {
        self.0.digest()
    }
}

pub fn state_hash(world: &mut World) -> u64 {
    let mut enc = Encoder::default();
    // Each value is taken apart field by field, so a field added to any of
    // them fails to compile here until it is hashed (or said not to be).
    let Setting {
        rules: _,
        index,
        clock: Clock { seed, turn },
    } = world.resource::<Setting>().clone();
    enc.u64(seed);
    enc.u32(turn);

    enc.len(index.orgs.len());
    for &e in index.orgs.iter() {
        if let Some(Staff {
            capacity,
            committed,
        }) = world.get::<Staff>(e)
        {
            enc.u32(*capacity);
            enc.u32(*committed);
        }
        if let Some(Trust(TrustMap {
            default,
            exceptions,
        })) = world.get::<Trust>(e)
        {
            enc.u16(*default);
            enc.len(exceptions.len());
            for &(org, v) in exceptions {
                enc.u16(org);
                enc.u16(v);
            }
        }
        if let Some(k) = world.get::<Knowledge>(e) {
            facts(&mut enc, &k.0);
        }
    }
    enc.len(index.assets.len());
    for &e in index.assets.iter() {
        if let Some(Health {
            own_availability,
            availability,
            integrity,
            confidentiality,
        }) = world.get::<Health>(e)
        {
            enc.u16(*own_availability);
            enc.u16(*availability);
            enc.u16(*integrity);
            enc.u16(*confidentiality);
        }
        if let Some(Defences {
            monitoring,
            isolated,
            patched,
            backups_intact,
            hunt_bp,
        }) = world.get::<Defences>(e)
        {
            enc.u16(*monitoring);
            enc.bool(*isolated);
            enc.u64(*patched);
            enc.bool(*backups_intact);
            enc.u16(*hunt_bp);
        }
        if let Some(Records { held, lost }) = world.get::<Records>(e) {
            enc.u64(*held);
            enc.u64(*lost);
        }
    }
    let supply = world.resource::<Supply>();
    enc.len(supply.starved.len());
    supply.starved.iter().for_each(|&v| enc.u32(v));
    enc.len(index.attackers.len());
    for &e in index.attackers.iter() {
        if let Some(Campaign {
            stage,
            turns_in_stage,
            finished,
            infrastructure,
            first_action,
            first_detected,
            acted,
            defaced,
        }) = world.get::<Campaign>(e)
        {
            enc.u32(*stage);
            enc.u32(*turns_in_stage);
            enc.bool(*finished);
            enc.u32(*infrastructure);
            enc.opt_u32(*first_action);
            enc.opt_u32(*first_detected);
            enc.bool(*acted);
            enc.len(defaced.len());
            defaced.iter().for_each(|&v| enc.u32(v));
        }
    }
    let mut compromises: Vec<(StableId, Compromise)> =
        match world.try_query::<(&StableId, &Compromise)>() {
            Some(mut q) => q.iter(world).map(|(id, c)| (*id, c.clone())).collect(),
            None => Vec::new(),
        };
    compromises.sort_by_key(|(id, _)| *id);
    enc.len(compromises.len());
    for (
        id,
        Compromise {
            attacker,
            asset,
            level,
            since,
            detected,
        },
    ) in &compromises
    {
        enc.u64(id.0);
        enc.u16(*attacker);
        enc.u32(*asset);
        enc.u8(*level);
        enc.u32(*since);
        enc.bool(*detected);
    }
    // The agenda: actions, then messages, each in the order scheduled.
    // Injects waiting on another follow from `InjectsFired`, hashed later.
    let agenda = world.resource::<Agenda>();
    enc.len(agenda.actions().count());
    for (
        ActionInProgress {
            decision: d,
            staff,
            started,
        },
        turns_left,
    ) in agenda.actions()
    {
        decision(&mut enc, d);
        enc.u32(*staff);
        enc.u32(*started);
        enc.u32(turns_left);
    }
    enc.len(agenda.messages().count());
    for IntelMessage {
        from,
        to,
        tlp,
        facts: carried,
        sent,
        arrives,
        report,
    } in agenda.messages()
    {
        enc.u16(*from);
        enc.u16(*to);
        enc.u8(*tlp as u8);
        facts(&mut enc, carried);
        enc.u32(*sent);
        enc.u32(*arrives);
        enc.bool(*report);
    }
    for pairs in [
        &world.resource::<Access>().response,
        &world.resource::<AssistanceSent>().0,
    ] {
        enc.len(pairs.0.len());
        for &(a, b) in &pairs.0 {
            enc.u16(a);
            enc.u16(b);
        }
    }
    let Politics {
        public_trust,
        alliance_trust,
        alert_level,
        liaison,
        article5_turn,
        first_statement,
        first_detection,
        attributions,
    } = world.resource::<Politics>();
    enc.u16(*public_trust);
    enc.u16(*alliance_trust);
    enc.u8(*alert_level);
    enc.bool(*liaison);
    enc.opt_u32(*article5_turn);
    enc.opt_u32(*first_statement);
    enc.opt_u32(*first_detection);
    enc.len(attributions.len());
    for (a, name, turn, correct) in attributions {
        enc.u16(*a);
        enc.str(name);
        enc.u32(*turn);
        enc.bool(*correct);
    }
    let Metrics {
        records_lost,
        customer_minutes_lost,
        impact,
        peak_impact,
        outage_rate,
        compromises_total,
        detections,
        assets_down,
        government_aware,
        escalation_reached,
    } = world.resource::<Metrics>();
    enc.u64(*records_lost);
    enc.u64(*customer_minutes_lost);
    enc.u16(*impact);
    enc.u16(*peak_impact);
    enc.u64(*outage_rate);
    enc.u32(*compromises_total);
    enc.u32(*detections);
    enc.u32(*assets_down);
    enc.opt_u32(*government_aware);
    enc.opt_u32(*escalation_reached);
    let fired = &world.resource::<InjectsFired>().0;
    enc.len(fired.len());
    fired.iter().for_each(|&f| enc.opt_u32(f));
    // Held injects are hashed only once the facilitator holds one, so
    // sessions that never do keep their hashes.
    let held = &world.resource::<InjectsHeld>().0;
    if held.iter().any(|&h| h) {
        enc.len(held.len());
        held.iter().for_each(|&h| enc.u32(u32::from(h)));
    }
    let taken = &world.resource::<DecisionsTaken>().0;
    enc.len(taken.len());
    taken.iter().for_each(|&t| enc.opt_u32(t));
    let Objectives {
        status,
        threshold_reached,
        score,
        ended,
    } = world.resource::<Objectives>();
    enc.len(status.len());
    status.iter().for_each(|s| enc.u8(*s as u8));
    threshold_reached.iter().for_each(|&t| enc.opt_u32(t));
    enc.u32(*score);
    enc.bool(*ended);
    enc.finish()
}

fn facts(enc: &mut Encoder, f: &Facts) {
    let Facts {
        compromises,
        indicators,
        leads,
        cleared,
    } = f;
    enc.len(compromises.len());
    for KnownCompromise {
        asset,
        attacker,
        seen,
    } in compromises
    {
        enc.u32(*asset);
        enc.u16(*attacker);
        enc.u32(*seen);
    }
    enc.len(indicators.len());
    indicators.iter().for_each(|&a| enc.u16(a));
    enc.len(leads.len());
    for Lead {
        attacker,
        points_to,
        source,
        weight,
    } in leads
    {
        enc.u16(*attacker);
        enc.str(points_to);
        enc.u16(*source);
        enc.u32(*weight);
    }
    enc.len(cleared.len());
    for KnownEviction {
        asset,
        attacker,
        turn,
    } in cleared
    {
        enc.u32(*asset);
        enc.u16(*attacker);
        enc.u32(*turn);
    }
}

pub fn decision(enc: &mut Encoder, d: &Decision) {
    enc.u16(d.org);
    enc.u8(d.action.kind() as u8);
    match &d.action {
        Action::Monitor { asset }
        | Action::Hunt { asset }
        | Action::Isolate { asset }
        | Action::Patch { asset }
        | Action::Restore { asset }
        | Action::ResetCredentials { asset } => enc.u32(*asset),
        Action::ShareIntel { to, tlp } => {
            enc.len(to.len());
            to.iter().for_each(|&t| enc.u16(t));
            enc.u8(*tlp as u8);
        }
        Action::RequestAssistance { from } => enc.u16(*from),
        Action::AttributePublicly { attacker }
        | Action::Takedown { attacker }
        | Action::ActiveDefence { attacker } => enc.u16(*attacker),
        Action::PublicStatement
        | Action::RaiseAlert
        | Action::ConsultArticle5
        | Action::Liaison => {}
    }
}

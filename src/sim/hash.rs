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

use super::components::*;
use super::decision::{Action, Decision};
use super::knowledge::Facts;
use super::resources::*;

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
    let clock = *world.resource::<Clock>();
    enc.u64(clock.seed);
    enc.u32(clock.turn);

    let index = world.resource::<Index>().clone();
    enc.len(index.orgs.len());
    for &e in index.orgs.iter() {
        if let Some(s) = world.get::<Staff>(e) {
            enc.u32(s.capacity);
            enc.u32(s.committed);
        }
        if let Some(t) = world.get::<Trust>(e) {
            enc.u16(t.0.default);
            enc.len(t.0.exceptions.len());
            for &(org, v) in &t.0.exceptions {
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
        if let Some(h) = world.get::<Health>(e) {
            enc.u16(h.own_availability);
            enc.u16(h.availability);
            enc.u16(h.integrity);
            enc.u16(h.confidentiality);
        }
        if let Some(d) = world.get::<Defences>(e) {
            enc.u16(d.monitoring);
            enc.bool(d.isolated);
            enc.u64(d.patched);
            enc.bool(d.backups_intact);
            enc.u16(d.hunt_bp);
        }
        if let Some(r) = world.get::<Records>(e) {
            enc.u64(r.held);
            enc.u64(r.lost);
        }
    }
    let supply = world.resource::<Supply>();
    enc.len(supply.starved.len());
    supply.starved.iter().for_each(|&v| enc.u32(v));
    enc.len(index.attackers.len());
    for &e in index.attackers.iter() {
        if let Some(c) = world.get::<Campaign>(e) {
            enc.u32(c.stage);
            enc.u32(c.turns_in_stage);
            enc.bool(c.finished);
            enc.u32(c.infrastructure);
            enc.opt_u32(c.first_action);
            enc.opt_u32(c.first_detected);
            enc.bool(c.acted);
            enc.len(c.defaced.len());
            c.defaced.iter().for_each(|&v| enc.u32(v));
        }
    }
    let mut compromises: Vec<(StableId, Compromise)> =
        match world.try_query::<(&StableId, &Compromise)>() {
            Some(mut q) => q.iter(world).map(|(id, c)| (*id, c.clone())).collect(),
            None => Vec::new(),
        };
    compromises.sort_by_key(|(id, _)| *id);
    enc.len(compromises.len());
    for (id, c) in &compromises {
        enc.u64(id.0);
        enc.u16(c.attacker);
        enc.u32(c.asset);
        enc.u8(c.level);
        enc.u32(c.since);
        enc.bool(c.detected);
    }
    let actions = &world.resource::<Actions>().running;
    enc.len(actions.len());
    for a in actions {
        decision(&mut enc, &a.decision);
        enc.u32(a.staff);
        enc.u32(a.started);
        enc.u32(a.turns_left);
    }
    let mailbox = &world.resource::<Mailbox>().0;
    enc.len(mailbox.len());
    for m in mailbox {
        enc.u16(m.from);
        enc.u16(m.to);
        enc.u8(m.tlp as u8);
        facts(&mut enc, &m.facts);
        enc.u32(m.sent);
        enc.u32(m.arrives);
        enc.bool(m.report);
    }
    for pairs in [
        &world.resource::<ResponseAccess>().0,
        &world.resource::<AssistanceSent>().0,
    ] {
        enc.len(pairs.0.len());
        for &(a, b) in &pairs.0 {
            enc.u16(a);
            enc.u16(b);
        }
    }
    let p = world.resource::<Politics>();
    enc.u16(p.public_trust);
    enc.u16(p.alliance_trust);
    enc.u8(p.alert_level);
    enc.bool(p.liaison);
    enc.opt_u32(p.article5_turn);
    enc.opt_u32(p.first_statement);
    enc.opt_u32(p.first_detection);
    enc.len(p.attributions.len());
    for (a, name, turn, correct) in &p.attributions {
        enc.u16(*a);
        enc.str(name);
        enc.u32(*turn);
        enc.bool(*correct);
    }
    let m = world.resource::<Metrics>();
    enc.u64(m.records_lost);
    enc.u64(m.customer_minutes_lost);
    enc.u16(m.impact);
    enc.u16(m.peak_impact);
    enc.u64(m.outage_rate);
    enc.u32(m.compromises_total);
    enc.u32(m.detections);
    enc.u32(m.assets_down);
    enc.opt_u32(m.government_aware);
    enc.opt_u32(m.escalation_reached);
    let fired = &world.resource::<InjectsFired>().0;
    enc.len(fired.len());
    fired.iter().for_each(|&f| enc.opt_u32(f));
    let taken = &world.resource::<DecisionsTaken>().0;
    enc.len(taken.len());
    taken.iter().for_each(|&t| enc.opt_u32(t));
    let o = world.resource::<Objectives>();
    enc.len(o.status.len());
    o.status.iter().for_each(|s| enc.u8(*s as u8));
    o.threshold_reached.iter().for_each(|&t| enc.opt_u32(t));
    enc.u32(o.score);
    enc.bool(o.ended);
    enc.finish()
}

fn facts(enc: &mut Encoder, f: &Facts) {
    enc.len(f.compromises.len());
    for c in &f.compromises {
        enc.u32(c.asset);
        enc.u16(c.attacker);
        enc.u32(c.seen);
    }
    enc.len(f.indicators.len());
    f.indicators.iter().for_each(|&a| enc.u16(a));
    enc.len(f.leads.len());
    for l in &f.leads {
        enc.u16(l.attacker);
        enc.str(&l.points_to);
        enc.u16(l.source);
        enc.u32(l.weight);
    }
    enc.len(f.cleared.len());
    for e in &f.cleared {
        enc.u32(e.asset);
        enc.u16(e.attacker);
        enc.u32(e.turn);
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

// Owns: the simulator-only introspection routes under `/__sim/` (never present on a real Odoo),
// so tests can prove what the simulator sent. Must never change the simulated database.

use crate::responses::Reply;
use crate::state::SharedSim;
use axum::extract::State;

/// `GET /__sim/validation_log`: every outgoing validation/data request, oldest first.
pub async fn validation_log(State(sim): State<SharedSim>) -> Reply {
    let log = sim.validation_log();
    Reply::raw_json(serde_json::to_string(&log).unwrap_or_else(|_| "[]".into()))
}

/// `DELETE /__sim/validation_log`: forget the recorded requests.
pub async fn clear_validation_log(State(sim): State<SharedSim>) -> Reply {
    sim.clear_validation_log();
    Reply::raw_json("[]".into())
}

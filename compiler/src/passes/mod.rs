//! Optimization passes over the SSA IR, and the analyses they share.
//!
//! Passes (one per file, run in the order of [`PASSES`]):
//! - `copyprop`: block parameters that always receive one value become that value;
//! - `constfold`: constant folding with exact Wasm semantics (`eval`), integer identities,
//!   branches and conditional traps on constants;
//! - `gvn`: global value numbering over the dominator tree;
//! - `rle`: redundant load elimination: loads of what an earlier load read or an earlier
//!   store wrote, over the dominator tree, with `alias` telling which accesses may overlap;
//! - `licm`: loop-invariant code motion into (new, where needed) preheaders, where equal
//!   invariants hoisted from different branches then merge;
//! - `vectorize`: pairs of f64/i64 computations in unrolled counted loops become `v128` ones,
//!   in a copy of the loop that a check in the preheader chooses;
//! - `dce`: unreachable blocks, unused pure instructions, unused block parameters;
//! - `simplifycfg`: branches around empty blocks, straight-line blocks merged.
//!
//! Analyses: `cfg` (successors, predecessors, reverse postorder), `domtree`, `loops`, `bounds`
//! (upper bounds of i32 values, for instruction selection); `analyses` keeps the graph and
//! the dominator tree from pass to pass until one changes the control flow; `edit`
//! holds the rewriting helpers several passes share. Every pass takes a function that passes
//! the verifier and leaves one that does; the golden tests under `tests/ir/` check each pass
//! on small functions, and also that it keeps behaviour, with a reference interpreter.

pub mod alias;
pub mod analyses;
pub mod bounds;
pub mod cfg;
pub mod constfold;
pub mod copyprop;
pub mod dce;
pub mod domtree;
pub mod edit;
pub mod eval;
pub mod gvn;
pub mod licm;
pub mod loops;
pub mod rle;
pub mod simplifycfg;
pub mod vectorize;

use crate::ir::verify::{verify, VerifyError};
use crate::ir::Function;
pub use analyses::Analyses;

/// A pass rewrites one function in place; it must leave it valid, and invalidate the shared
/// analyses when it changes the control flow.
pub type Pass = fn(&mut Function, &mut Analyses);

/// Every pass in pipeline order: (name, pass, lowest -O level that runs it). Copy propagation
/// and folding run again after value numbering, which merges equal constants and so exposes
/// more trivial block parameters.
pub const PASSES: &[(&str, Pass, u8)] = &[
    ("copyprop", copyprop::run, 1),
    ("constfold", constfold::run, 1),
    ("gvn", gvn::run, 2),
    // After value numbering, which gives equal addresses one value.
    ("rle", rle::run, 2),
    ("copyprop", copyprop::run, 2),
    ("constfold", constfold::run, 2),
    ("licm", licm::run, 2),
    // After LICM, which gives each loop a preheader for the checks.
    ("vectorize", vectorize::run, 2),
    ("dce", dce::run, 1),
    // After DCE, which empties the blocks that only held dead code.
    ("simplifycfg", simplifycfg::run, 1),
];

/// The pass called `name`, for tests and `--dump-after`.
pub fn find(name: &str) -> Option<Pass> {
    PASSES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|&(_, pass, _)| pass)
}

/// Run the pipeline for `opt_level`. The verifier runs after every pass in debug builds and
/// when a dump is asked for; `dump_after` names a pass after which the function is printed
/// to stderr.
pub fn run(
    func: &mut Function,
    opt_level: u8,
    dump_after: Option<&str>,
) -> Result<(), VerifyError> {
    let mut analyses = Analyses::default();
    for &(name, pass, min_level) in PASSES {
        if opt_level < min_level {
            continue;
        }
        pass(func, &mut analyses);
        if cfg!(debug_assertions) || dump_after.is_some() {
            verify(func)
                .and_then(|()| analyses.check(func).map_err(|message| VerifyError { message }))
                .map_err(|e| VerifyError { message: format!("after pass {}: {}", name, e.message) })?;
        }
        if dump_after == Some(name) {
            eprintln!("; after {}\n{}", name, func);
        }
    }
    Ok(())
}

//! Instruction selection shapes: what folds into what.

use super::abi::Aarch64Abi;
use super::inst::MInst;
use super::lower::lower;
use crate::ir::parse::parse_function;

fn insts(text: &str) -> Vec<MInst> {
    let f = parse_function(text).expect("parse");
    lower(&f, Aarch64Abi::Linux).expect("lower").insts
}

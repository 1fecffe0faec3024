//! What both calling conventions share: where a signature's arguments and results travel.
//! Each backend's `abi.rs` computes a [`CallLayout`] by its own rules (registers, stack slot
//! sizes) and lays out its frame.

use crate::ir::Type;
use crate::regalloc::PReg;
use crate::vmctx::VAL_SIZE;

/// Where one argument travels.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum ArgLoc {
    Reg(PReg),
    /// Byte offset within the stack-argument area.
    Stack(i32),
}

/// How results come back.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum RetLoc {
    None,
    Reg(PReg),
    /// Through a caller-provided area, result `i` at `16 * i`; its address is the hidden
    /// argument right after vmctx.
    Area(Vec<Type>),
}

/// The placement of a signature's arguments and results.
#[derive(Clone, Debug)]
pub struct CallLayout {
    /// One entry per signature parameter (the hidden return-area pointer is not included).
    pub args: Vec<ArgLoc>,
    /// Where the hidden return-area pointer goes, when results come back in memory.
    pub ret_area_ptr: Option<PReg>,
    pub rets: RetLoc,
    /// Bytes of stack arguments, rounded up to 16.
    pub stack_bytes: u32,
}

/// Size in bytes of a return area for `n` results.
pub fn ret_area_bytes(n: usize) -> u32 {
    VAL_SIZE * n as u32
}

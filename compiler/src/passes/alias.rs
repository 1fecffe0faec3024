//! Where memory accesses land, for redundant load elimination: an access is a [`Location`],
//! a root value plus a constant displacement, in one of two spaces that never overlap.
//!
//! - Linear memory (`load`/`store`): `heap + zext(addr) + offset`. The address is split into
//!   a base value and a constant folded in through `iadd`/`isub` with constants (32-bit, so it
//!   wraps). A constant address has the heap base itself as its base: the heap base is an
//!   `i64` and never an `i32` address, so the two cannot be confused.
//! - Host memory (`load_ptr`/`store_ptr` that are not `readonly`: mutable globals, table
//!   fields, the memory length): `ptr + offset`. Host pointers lead into vmctx, global cells,
//!   tables and memory descriptors, never into the linear-memory reservation, and a linear
//!   access cannot leave that reservation (guard pages or explicit bounds checks), so the two
//!   spaces are disjoint.
//!
//! Accesses from the same root are compared by displacement; accesses from different roots
//! may alias.

use crate::ir::{BinaryOp, Function, InstData, Type, Value, ValueDef};

/// The widest access (a `v128`).
pub const MAX_ACCESS_BYTES: i64 = 16;

/// How many `iadd`/`isub` of a constant are looked through to find an address's base.
const MAX_ADDRESS_DEPTH: usize = 4;

/// 2^32: how far apart two linear accesses from one base may really be when one of their
/// 32-bit addresses wraps and the other does not.
const WRAP: i64 = 1 << 32;

#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Space {
    Linear,
    Host,
}

/// The bytes one access reads or writes. Fields are ordered so that the locations of one
/// root are contiguous and sorted by position (range queries in an ordered map).
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Location {
    pub space: Space,
    /// Linear: (heap base, address base); host: (pointer, pointer).
    pub root: (Value, Value),
    /// Displacement from the root: for linear memory the address constant (mod 2^32) plus
    /// the offset, so within [0, 2^33); for host memory the pointer offset.
    pub pos: i64,
    /// Linear memory: the part of `pos` added to the 32-bit address, before it is extended.
    /// Two accesses with equal `pos` but different splits differ when an address wraps.
    pub wrapped: u32,
    pub bytes: u32,
}

impl Location {
    /// A linear-memory access of `bytes` bytes at `heap + zext(addr) + offset`.
    pub fn linear(func: &Function, heap: Value, addr: Value, offset: u32, bytes: u32) -> Location {
        let (base, delta) = split_address(func, heap, addr);
        Location {
            space: Space::Linear,
            root: (heap, base),
            pos: i64::from(delta) + i64::from(offset),
            wrapped: delta,
            bytes,
        }
    }

    /// A host-memory access of `bytes` bytes at `ptr + offset`.
    pub fn host(ptr: Value, offset: i32, bytes: u32) -> Location {
        Location {
            space: Space::Host,
            root: (ptr, ptr),
            pos: i64::from(offset),
            wrapped: 0,
            bytes,
        }
    }

    /// The differences (in `pos`) that this location's real address may have from another
    /// one's with the same root: a wrapped 32-bit address moves an access by 2^32.
    pub fn shifts(&self) -> &'static [i64] {
        match self.space {
            Space::Linear => &[-WRAP, 0, WRAP],
            Space::Host => &[0],
        }
    }

    /// True if the two accesses may touch a common byte.
    pub fn may_overlap(&self, other: &Location) -> bool {
        if self.space != other.space {
            return false;
        }
        if self.root != other.root {
            return true;
        }
        let (mine, theirs) = (i64::from(self.bytes), i64::from(other.bytes));
        self.shifts().iter().any(|shift| {
            let distance = self.pos - other.pos + shift;
            distance < theirs && -distance < mine
        })
    }
}

/// `addr` as a base value plus a constant, mod 2^32.
fn split_address(func: &Function, heap: Value, addr: Value) -> (Value, u32) {
    let mut base = addr;
    let mut delta = 0u32;
    for _ in 0..MAX_ADDRESS_DEPTH {
        if let Some(c) = i32_constant(func, base) {
            return (heap, delta.wrapping_add(c));
        }
        let Some(data) = defining_inst(func, base) else {
            break;
        };
        let (next, add) = match *data {
            InstData::Binary {
                op: BinaryOp::Iadd,
                ty: Type::I32,
                args: [a, b],
            } => match (i32_constant(func, a), i32_constant(func, b)) {
                (_, Some(c)) => (a, c),
                (Some(c), None) => (b, c),
                (None, None) => break,
            },
            InstData::Binary {
                op: BinaryOp::Isub,
                ty: Type::I32,
                args: [a, b],
            } => match i32_constant(func, b) {
                Some(c) => (a, c.wrapping_neg()),
                None => break,
            },
            _ => break,
        };
        base = next;
        delta = delta.wrapping_add(add);
    }
    (base, delta)
}

fn defining_inst(func: &Function, v: Value) -> Option<&InstData> {
    match func.values.get(v.index())?.def {
        ValueDef::Result(inst, 0) => func.insts.get(inst.index()),
        _ => None,
    }
}

fn i32_constant(func: &Function, v: Value) -> Option<u32> {
    match *defining_inst(func, v)? {
        InstData::Iconst { ty: Type::I32, imm } => Some(imm as u32),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linear(base: u32, pos: i64, wrapped: u32, bytes: u32) -> Location {
        Location {
            space: Space::Linear,
            root: (Value(0), Value(base)),
            pos,
            wrapped,
            bytes,
        }
    }

    #[test]
    fn adjacent_ranges_do_not_overlap() {
        assert!(!linear(1, 0, 0, 4).may_overlap(&linear(1, 4, 0, 4)));
        assert!(!linear(1, 4, 0, 4).may_overlap(&linear(1, 0, 0, 4)));
        assert!(linear(1, 3, 0, 4).may_overlap(&linear(1, 0, 0, 4)));
        assert!(linear(1, 0, 0, 16).may_overlap(&linear(1, 15, 0, 1)));
    }

    #[test]
    fn different_roots_may_overlap_and_spaces_never_do() {
        assert!(linear(1, 0, 0, 4).may_overlap(&linear(2, 100, 0, 4)));
        let host = Location::host(Value(1), 0, 4);
        assert!(!linear(1, 0, 0, 4).may_overlap(&host));
        assert!(!host.may_overlap(&Location::host(Value(1), 4, 4)));
        assert!(host.may_overlap(&Location::host(Value(2), 4, 4)));
    }

    #[test]
    fn a_wrapping_address_is_compared_2_pow_32_away() {
        // `base + 0xffff_fffc` wraps to `base - 4` when base >= 4: its 8 bytes then cover
        // `base`, although its displacement is far from 0.
        let below = linear(1, 0xffff_fffc, 0xffff_fffc, 8);
        assert!(below.may_overlap(&linear(1, 0, 0, 4)));
        assert!(linear(1, 0, 0, 4).may_overlap(&below));
        assert!(!linear(1, 0, 0, 4).may_overlap(&linear(1, 8, 8, 4)));
    }
}

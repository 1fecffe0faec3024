//! A function run alone, for differential tests: a pass must not change what a function
//! returns or how it traps.
//!
//! Linear memory is 64 KiB whatever the heap base. Host memory (`load_ptr`, `store_ptr`) is
//! byte-addressed; a byte never written reads as a fixed function of its address, so loads
//! of the vmctx see arbitrary but repeatable values, and overlapping accesses see each other.
//! The one exception is memory 0's descriptor, whose length field says 64 KiB (code that
//! checks accesses against the length, as `memory.size` and vectorized loops do, sees the truth).
//! Calls and runtime functions are not modelled.

use super::{CallTarget, Callee, Host, Interpreter, Stop};
use std::collections::HashMap;
use std::fmt;
use wasmc::ir::{Function, RuntimeFn, Type};

const MEMORY_SIZE: usize = 1 << 16;

/// A typed value, for arguments and results.
#[derive(Copy, Clone)]
pub struct Val {
    pub ty: Type,
    pub bits: u128,
}

impl Val {
    /// An argument of type `ty` made from `seed` bits.
    pub fn of_type(ty: Type, seed: u64) -> Val {
        Val { ty, bits: super::mask(ty, seed.into()) }
    }

    fn is_nan(self) -> bool {
        match self.ty {
            Type::F32 => f32::from_bits(self.bits as u32).is_nan(),
            Type::F64 => f64::from_bits(self.bits as u64).is_nan(),
            _ => false,
        }
    }
}

/// Equal bits, except that any two NaNs are equal: Wasm leaves NaN payloads open.
impl PartialEq for Val {
    fn eq(&self, other: &Val) -> bool {
        self.ty == other.ty && ((self.is_nan() && other.is_nan()) || self.bits == other.bits)
    }
}

impl fmt::Debug for Val {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}:{:#x}", self.ty, self.bits)
    }
}

/// Run `func` on `args`, starting at most `fuel` blocks.
pub fn run(func: &Function, args: &[Val], fuel: u64) -> Result<Vec<Val>, Stop> {
    run_on_memory(func, args, fuel, vec![0; MEMORY_SIZE]).0
}

/// Run `func` on `args` with linear memory `memory` (64 KiB); also return the memory as the
/// function left it, trap or not.
pub fn run_on_memory(func: &Function, args: &[Val], fuel: u64, memory: Vec<u8>) -> (Result<Vec<Val>, Stop>, Vec<u8>) {
    assert_eq!(memory.len(), MEMORY_SIZE, "the sandbox's memory is 64 KiB");
    let mut sandbox = Sandbox { memory, host: HashMap::new() };
    let args: Vec<u128> = args.iter().map(|a| a.bits).collect();
    if let Some(&vmctx) = args.first() {
        sandbox.describe_memory(vmctx as u64);
    }
    let results = Interpreter::new(&mut sandbox, fuel).call(func, &args);
    let types = &func.sig.results;
    let results = results.map(|r| types.iter().zip(r).map(|(&ty, bits)| Val { ty, bits }).collect());
    (results, sandbox.memory)
}

struct Sandbox {
    memory: Vec<u8>,
    /// Host memory written so far, by address.
    host: HashMap<u64, u8>,
}

/// Where the sandbox puts memory 0's descriptor in host memory.
const DESCRIPTOR: u64 = 0x7e57_0000_0000;

impl Sandbox {
    /// `vmctx`'s memory 0 descriptor, with the true length.
    fn describe_memory(&mut self, vmctx: u64) {
        use wasmc::vmctx::{MEM0_DEF, MEMORY_LENGTH};
        let _ = self.store_ptr(vmctx.wrapping_add(MEM0_DEF as u64), 8, DESCRIPTOR.into());
        let _ = self.store_ptr(DESCRIPTOR.wrapping_add(MEMORY_LENGTH as u64), 8, MEMORY_SIZE as u128);
    }
}

/// What a host memory byte holds before it is written.
fn unwritten_byte(addr: u64) -> u8 {
    (addr.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as u8
}

impl Host for Sandbox {
    fn memory(&mut self, _heap: u64) -> Result<&mut [u8], Stop> {
        Ok(&mut self.memory)
    }

    fn load_ptr(&mut self, addr: u64, bytes: u32) -> Result<u128, Stop> {
        let byte = |i: u64| {
            let at = addr.wrapping_add(i);
            self.host.get(&at).copied().unwrap_or_else(|| unwritten_byte(at))
        };
        Ok((0..bytes as u64).rev().fold(0, |acc, i| acc << 8 | byte(i) as u128))
    }

    fn store_ptr(&mut self, addr: u64, bytes: u32, value: u128) -> Result<(), Stop> {
        for (i, byte) in value.to_le_bytes().into_iter().take(bytes as usize).enumerate() {
            self.host.insert(addr.wrapping_add(i as u64), byte);
        }
        Ok(())
    }

    fn callee(&mut self, _: CallTarget, _: &[u128]) -> Result<Callee, Stop> {
        Err(Stop::Unsupported("calls".into()))
    }

    fn call_runtime(&mut self, func: RuntimeFn, _: &[u128]) -> Result<Vec<u128>, Stop> {
        Err(Stop::Unsupported(format!("runtime function {}", func.name())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmc::ir::{parse::parse_function, TrapCode};

    fn run_text(text: &str, args: &[Val]) -> Result<Vec<Val>, Stop> {
        let func = parse_function(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        run(&func, args, 100)
    }

    #[test]
    fn vectors_go_through_linear_memory_whole() {
        let text = "function %f(i64, v128) -> v128 {
block0(v0: i64, v1: v128):
    v2 = iconst.i32 8
    store.v128 v0, v2, +0, v1
    v3 = load.v128 v0, v2, +0
    return v3
}";
        let v = Val { ty: Type::V128, bits: 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210 };
        assert_eq!(run_text(text, &[Val::of_type(Type::I64, 0), v]), Ok(vec![v]));
    }

    #[test]
    fn host_memory_accesses_overlap_byte_by_byte() {
        let text = "function %f(i64, i64) -> (i32, i32, i32) {
block0(v0: i64, v1: i64):
    v2 = load_ptr.i32 v0, +64
    store_ptr.i64 v0, +0, v1
    v3 = load_ptr.i32 v0, +4
    v4 = load_ptr.i32 v0, +64
    return v2, v3, v4
}";
        let args = [Val::of_type(Type::I64, 0x1000), Val::of_type(Type::I64, 0x1122_3344_5566_7788)];
        let results = run_text(text, &args).expect("returns");
        assert_eq!(results[1], Val::of_type(Type::I32, 0x1122_3344));
        assert_eq!(results[0], results[2], "an unwritten word reads the same twice");
    }

    #[test]
    fn traps_and_running_out_of_fuel_are_stops() {
        let divide = "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 0
    v3 = udiv.i32 v1, v2
    return v3
}";
        let args = [Val::of_type(Type::I64, 0), Val::of_type(Type::I32, 1)];
        assert_eq!(run_text(divide, &args), Err(Stop::Trap(TrapCode::IntegerDivideByZero)));
        let past_the_end = "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = load.i32 v0, v1, +65533
    return v2
}";
        assert_eq!(run_text(past_the_end, &args), Err(Stop::Trap(TrapCode::MemoryOutOfBounds)));
        let forever = "function %f(i64) {
block0(v0: i64):
    jump block1
block1:
    jump block1
}";
        assert_eq!(run_text(forever, &args[..1]), Err(Stop::OutOfFuel));
    }
}

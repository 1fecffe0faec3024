//! A function run alone, for differential tests: a pass must not change what a function
//! returns or how it traps.
//!
//! Linear memory is 64 KiB whatever the heap base. Host memory (`load_ptr`, `store_ptr`) is
//! byte-addressed; a byte never written reads as a fixed function of its address, so loads
//! of the vmctx see arbitrary but repeatable values, and overlapping accesses see each other.
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
    let mut sandbox = Sandbox { memory: vec![0; MEMORY_SIZE], host: HashMap::new() };
    let args: Vec<u128> = args.iter().map(|a| a.bits).collect();
    let results = Interpreter::new(&mut sandbox, fuel).call(func, &args)?;
    let types = &func.sig.results;
    Ok(types.iter().zip(results).map(|(&ty, bits)| Val { ty, bits }).collect())
}

struct Sandbox {
    memory: Vec<u8>,
    /// Host memory written so far, by address.
    host: HashMap<u64, u8>,
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

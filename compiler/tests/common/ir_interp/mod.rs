//! The reference interpreter of the IR, shared by the test binaries: `ir_golden` runs functions
//! alone (`sandbox`) to check that passes keep behaviour; `translate_golden` runs translated
//! modules in a simulated instance (`instance`) against the spec suite's assertions.
//!
//! Values are raw bits: a `u128` whose low bits hold the value of its type, the rest zero.
//! Scalar operations are `wasmc::passes::eval`'s, the crate's one implementation of Wasm's
//! numeric semantics (`scalar`); vector operations are `simd`'s. Sharing `eval` with the
//! constant folder does not let a folding mistake hide from the pass checks: the spec suite's
//! assertions, run through this interpreter, hold `eval`'s answers to the standard's.
//! Whatever a function reaches outside its own values (linear memory, host memory, callees,
//! runtime functions) belongs to the `Host` it runs in.

mod instance;
mod sandbox;
mod scalar;
pub mod simd;

pub use instance::{Instance, EXTERN_TAG};
pub use sandbox::{run, run_on_memory, Val};

use std::rc::Rc;
use wasmc::ir::{Block, Function, Inst, InstData, MemSize, RuntimeFn, TrapCode, Type, Value};

/// Why a function did not return.
#[derive(Clone, Debug, PartialEq)]
pub enum Stop {
    Trap(TrapCode),
    /// The function does something the interpreter or its host does not model.
    Unsupported(String),
    /// Still running when the step budget ran out.
    OutOfFuel,
}

/// What a call instruction names.
#[derive(Copy, Clone, Debug)]
pub enum CallTarget {
    /// A function index of the module (imports first).
    Func(u32),
    /// A funcref's code pointer.
    Code(u64),
}

/// What a call reaches.
pub enum Callee {
    Ir(Rc<Function>),
    /// A host function, already run: its results.
    Host(Vec<u128>),
}

/// The world a function runs in.
pub trait Host {
    /// The linear memory whose base address is `heap`.
    fn memory(&mut self, heap: u64) -> Result<&mut [u8], Stop>;
    /// `bytes` bytes of host memory (vmctx and what it points to) at `addr`.
    fn load_ptr(&mut self, addr: u64, bytes: u32) -> Result<u128, Stop>;
    fn store_ptr(&mut self, addr: u64, bytes: u32, value: u128) -> Result<(), Stop>;
    fn callee(&mut self, target: CallTarget, args: &[u128]) -> Result<Callee, Stop>;
    /// A runtime-lib function; `args` start with vmctx.
    fn call_runtime(&mut self, func: RuntimeFn, args: &[u128]) -> Result<Vec<u128>, Stop>;
}

/// Calls nest this deep before the interpreter reports stack exhaustion, as native code
/// would (the spec suite's `assert_exhaustion`).
const MAX_DEPTH: usize = 2000;

pub struct Interpreter<'h, H: Host> {
    host: &'h mut H,
    /// Blocks still allowed to start, across calls.
    fuel: u64,
}

/// Where control goes after an instruction.
enum Flow {
    Next,
    Goto(Block, Vec<u128>),
    Return(Vec<u128>),
}

/// `v` cut to the width of `ty`.
pub fn mask(ty: Type, v: u128) -> u128 {
    match ty.bytes() {
        16 => v,
        n => v & ((1u128 << (8 * n)) - 1),
    }
}

impl<'h, H: Host> Interpreter<'h, H> {
    pub fn new(host: &'h mut H, fuel: u64) -> Self {
        Interpreter { host, fuel }
    }

    pub fn call(&mut self, func: &Function, args: &[u128]) -> Result<Vec<u128>, Stop> {
        self.run(func, args, 0)
    }

    fn run(&mut self, func: &Function, args: &[u128], depth: usize) -> Result<Vec<u128>, Stop> {
        if depth > MAX_DEPTH {
            return Err(Stop::Trap(TrapCode::StackOverflow));
        }
        let mut vals = vec![0u128; func.values.len()];
        let mut block = *func.layout.first().ok_or_else(|| unsupported("no entry block"))?;
        let mut incoming = args.to_vec();
        loop {
            self.fuel = self.fuel.checked_sub(1).ok_or(Stop::OutOfFuel)?;
            let data = &func.blocks[block.index()];
            for (&p, &v) in data.params.iter().zip(&incoming) {
                vals[p.index()] = mask(func.value_type(p), v);
            }
            let mut next = None;
            for &inst in &data.insts {
                match self.step(func, &mut vals, inst, depth)? {
                    Flow::Next => {}
                    Flow::Goto(b, args) => {
                        next = Some((b, args));
                        break;
                    }
                    Flow::Return(results) => return Ok(results),
                }
            }
            (block, incoming) = next.ok_or_else(|| unsupported("fell off a block"))?;
        }
    }

    fn step(&mut self, func: &Function, vals: &mut [u128], inst: Inst, depth: usize) -> Result<Flow, Stop> {
        let get = |v: Value| vals[v.index()];
        let all = |vs: &[Value]| vs.iter().map(|&v| get(v)).collect::<Vec<_>>();
        let results = match &func.insts[inst.index()] {
            InstData::Jump { dest } => return Ok(Flow::Goto(dest.block, all(&dest.args))),
            InstData::Brif { cond, then_dest, else_dest } => {
                let dest = if get(*cond) != 0 { then_dest } else { else_dest };
                return Ok(Flow::Goto(dest.block, all(&dest.args)));
            }
            InstData::BrTable { index, targets, default } => {
                let i = usize::try_from(get(*index)).unwrap_or(usize::MAX);
                return Ok(Flow::Goto(*targets.get(i).unwrap_or(default), Vec::new()));
            }
            InstData::Return { args } => return Ok(Flow::Return(all(args))),
            InstData::Trap { code } => return Err(Stop::Trap(*code)),
            InstData::Call { func: callee, args, .. } => {
                self.call_target(CallTarget::Func(*callee), &all(args), depth)?
            }
            InstData::CallIndirect { callee, args, .. } => {
                self.call_target(CallTarget::Code(get(*callee) as u64), &all(args), depth)?
            }
            InstData::CallRuntime { func: f, args } => self.host.call_runtime(*f, &all(args))?,
            other => vec![self.evaluate(other, &get)?],
        };
        for (&r, v) in func.results(inst).iter().zip(results) {
            vals[r.index()] = mask(func.value_type(r), v);
        }
        Ok(Flow::Next)
    }

    fn call_target(&mut self, target: CallTarget, args: &[u128], depth: usize) -> Result<Vec<u128>, Stop> {
        match self.host.callee(target, args)? {
            Callee::Ir(f) => self.run(&f, args, depth + 1),
            Callee::Host(results) => Ok(results),
        }
    }

    /// An instruction that neither transfers control nor calls: its one result, or 0 when it
    /// has none.
    fn evaluate(&mut self, data: &InstData, get: &dyn Fn(Value) -> u128) -> Result<u128, Stop> {
        let trap_if = |trap: bool, code: TrapCode| if trap { Err(Stop::Trap(code)) } else { Ok(0) };
        Ok(match *data {
            InstData::Iconst { ty, imm } => mask(ty, imm as u64 as u128),
            InstData::F32const { bits } => bits.into(),
            InstData::F64const { bits } => bits.into(),
            InstData::V128const { bytes } => bytes,
            InstData::RefNull => 0,
            InstData::IsNull { arg } => (get(arg) == 0).into(),
            InstData::Unary { op, ty, arg } => scalar::unary(op, ty, get(arg))?,
            InstData::Binary { op, ty, args: [a, b] } => scalar::binary(op, ty, get(a), get(b))?,
            InstData::Icmp { cond, ty, args: [a, b] } => scalar::icmp(cond, ty, get(a), get(b))?,
            InstData::Fcmp { cond, ty, args: [a, b] } => scalar::fcmp(cond, ty, get(a), get(b))?,
            InstData::Conv { op, from, to, arg } => scalar::conv(op, from, to, get(arg))?,
            InstData::Select { cond, args: [a, b], .. } => get(if get(cond) != 0 { a } else { b }),
            InstData::Simd { op, ref args } => {
                let args: Vec<u128> = args.iter().map(|&a| get(a)).collect();
                simd::simd(op, &args)?
            }
            InstData::Load { ty, size, heap, addr, offset } => {
                let n = size.bytes(ty) as usize;
                let memory = self.host.memory(get(heap) as u64)?;
                let at = linear_address(memory.len(), get(addr), offset, n)?;
                let mut buf = [0u8; 16];
                buf[..n].copy_from_slice(&memory[at..at + n]);
                let raw = u128::from_le_bytes(buf);
                match size {
                    MemSize::S8 => raw as u8 as i8 as i128 as u128,
                    MemSize::S16 => raw as u16 as i16 as i128 as u128,
                    MemSize::S32 => raw as u32 as i32 as i128 as u128,
                    _ => raw,
                }
            }
            InstData::Store { ty, size, heap, addr, offset, value } => {
                let n = size.bytes(ty) as usize;
                let memory = self.host.memory(get(heap) as u64)?;
                let at = linear_address(memory.len(), get(addr), offset, n)?;
                memory[at..at + n].copy_from_slice(&get(value).to_le_bytes()[..n]);
                0
            }
            InstData::LoadPtr { ty, ptr, offset, .. } => {
                self.host.load_ptr(host_address(get(ptr), offset), ty.bytes())?
            }
            InstData::StorePtr { ty, ptr, offset, value } => {
                self.host.store_ptr(host_address(get(ptr), offset), ty.bytes(), get(value))?;
                0
            }
            InstData::Trapnz { cond, code } => trap_if(get(cond) != 0, code)?,
            InstData::Trapz { cond, code } => trap_if(get(cond) == 0, code)?,
            ref other => return Err(unsupported(&format!("{other:?}"))),
        })
    }
}

fn unsupported(what: &str) -> Stop {
    Stop::Unsupported(what.to_string())
}

/// The index in a linear memory of `len` bytes of an `n`-byte access, or the trap.
fn linear_address(len: usize, addr: u128, offset: u32, n: usize) -> Result<usize, Stop> {
    let at = addr.checked_add(offset.into()).ok_or(Stop::Trap(TrapCode::MemoryOutOfBounds))?;
    match usize::try_from(at) {
        Ok(at) if at <= len && n <= len - at => Ok(at),
        _ => Err(Stop::Trap(TrapCode::MemoryOutOfBounds)),
    }
}

fn host_address(ptr: u128, offset: i32) -> u64 {
    (ptr as u64).wrapping_add(offset as i64 as u64)
}

//! A module instance for the interpreter, with the spectest imports: vmctx, tables,
//! funcrefs, globals and linear memory laid out as `wasmc::vmctx` says, and a model of
//! runtime-lib's functions (`runtime.rs`), so translated functions run against the spec
//! suite's assertions.
//!
//! Addresses: host memory (vmctx and everything it points to) starts at `HOST_BASE`; linear
//! memory at `HEAP_BASE`. A funcref's code pointer is `CODE_BASE + function index`.

mod runtime;

use super::{CallTarget, Callee, Host, Interpreter, Stop};
use std::rc::Rc;
use wasmc::decode::{ConstOp, DataMode, ElementItems, ElementMode, FuncType, ImportKind, Module, ValType};
use wasmc::ir::{Function, RuntimeFn, TrapCode, Type};
use wasmc::vmctx::{self, VmctxLayout};

const HOST_BASE: u64 = 0x1_0000;
const HEAP_BASE: u64 = 1 << 40;
const CODE_BASE: u64 = 1 << 32;
const PAGE: u64 = 65536;
/// Externref values are tagged so that `ref.extern 0` is not null.
pub const EXTERN_TAG: u64 = 1 << 48;

/// Why a module cannot be run by the interpreter.
pub struct Unsupported(pub String);

struct Table {
    desc: u64,
    max: u64,
}

pub struct Instance {
    pub module: Module,
    layout: VmctxLayout,
    vmctx: u64,
    host: Vec<u8>,
    memory: Vec<u8>,
    memory_max: u64,
    memory_desc: u64,
    tables: Vec<Table>,
    data: Vec<Option<Vec<u8>>>,
    elems: Vec<Option<Vec<u64>>>,
    funcs: Vec<Rc<Function>>,
    canonical_types: Vec<u32>,
}

impl Instance {
    /// Instantiate `module` with the spectest imports; `funcs` are the translated defined
    /// functions, in order.
    pub fn new(module: Module, bytes: &[u8], funcs: Vec<Function>) -> Result<Instance, Unsupported> {
        let layout =
            VmctxLayout::new(module.types.len() as u32, module.num_funcs(), module.num_tables(), module.num_globals());
        let canonical_types = (0..module.types.len())
            .map(|i| module.types.iter().position(|t| *t == module.types[i]).unwrap_or(i) as u32)
            .collect();
        let mut inst = Instance {
            layout,
            vmctx: 0,
            host: Vec::new(),
            memory: Vec::new(),
            memory_max: 65536,
            memory_desc: 0,
            tables: Vec::new(),
            data: Vec::new(),
            elems: Vec::new(),
            funcs: funcs.into_iter().map(Rc::new).collect(),
            canonical_types,
            module,
        };
        inst.vmctx = inst.alloc(inst.layout.size as u64);
        inst.setup(bytes)?;
        Ok(inst)
    }

    fn alloc(&mut self, size: u64) -> u64 {
        let at = (self.host.len() as u64).div_ceil(16) * 16;
        self.host.resize((at + size.max(1)) as usize, 0);
        HOST_BASE + at
    }

    fn read_host(&self, addr: u64, bytes: u32) -> Option<u128> {
        let at = addr.checked_sub(HOST_BASE)? as usize;
        let slice = self.host.get(at..at + bytes as usize)?;
        let mut buf = [0u8; 16];
        buf[..slice.len()].copy_from_slice(slice);
        Some(u128::from_le_bytes(buf))
    }

    fn write_host(&mut self, addr: u64, bytes: u32, v: u128) -> Option<()> {
        let at = addr.checked_sub(HOST_BASE)? as usize;
        let slice = self.host.get_mut(at..at + bytes as usize)?;
        slice.copy_from_slice(&v.to_le_bytes()[..bytes as usize]);
        Some(())
    }

    fn w64(&mut self, addr: u64, v: u64) {
        self.write_host(addr, 8, v.into()).expect("host write in bounds");
    }

    fn r64(&self, addr: u64) -> u64 {
        self.read_host(addr, 8).unwrap_or(0) as u64
    }

    fn type_id_of_func(&self, func: u32) -> u32 {
        let ti = self.module.func_type_index(func).unwrap_or(0) as usize;
        self.canonical_types.get(ti).copied().unwrap_or(u32::MAX)
    }

    pub fn funcref(&self, func: u32) -> u64 {
        self.vmctx + self.layout.funcref(func) as u64
    }

    fn setup(&mut self, bytes: &[u8]) -> Result<(), Unsupported> {
        let vm = self.vmctx;
        let mut imported_tables = Vec::new();
        let mut imported_memory = None;
        let mut imported_globals = Vec::new();
        for import in &self.module.imports {
            if import.module != "spectest" {
                return Err(Unsupported(format!("import from {}", import.module)));
            }
            match (&import.kind, import.field.as_str()) {
                (ImportKind::Func(_), _) => {}
                // spectest's table has 10 to 20 elements, its memory 1 to 2 pages.
                (ImportKind::Table(_), "table") => imported_tables.push((10, 20)),
                (ImportKind::Memory(_), "memory") => imported_memory = Some((1, 2)),
                (ImportKind::Global(g), name) => {
                    let value: u128 = match (g.ty, name) {
                        (ValType::I32, "global_i32") | (ValType::I64, "global_i64") => 666,
                        (ValType::F32, "global_f32") => 666.6f32.to_bits().into(),
                        (ValType::F64, "global_f64") => 666.6f64.to_bits().into(),
                        _ => return Err(Unsupported(format!("spectest global {name}"))),
                    };
                    imported_globals.push(value);
                }
                (_, name) => return Err(Unsupported(format!("spectest import {name}"))),
            }
        }
        for f in 0..self.module.num_funcs() {
            let fr = self.funcref(f);
            self.w64(fr + vmctx::FUNCREF_CODE as u64, CODE_BASE + f as u64);
            self.w64(fr + vmctx::FUNCREF_VMCTX as u64, vm);
            let id = self.type_id_of_func(f);
            self.write_host(fr + vmctx::FUNCREF_TYPE_ID as u64, 4, id.into()).expect("in bounds");
        }
        for (i, &id) in self.canonical_types.clone().iter().enumerate() {
            self.write_host(vm + self.layout.type_id(i as u32) as u64, 4, id.into()).expect("in bounds");
        }
        // Memory.
        let mem = imported_memory
            .or_else(|| self.module.memories.first().map(|m| (m.limits.min, m.limits.max.unwrap_or(65536))));
        self.memory_desc = self.alloc(16);
        if let Some((min, max)) = mem {
            if min > 1024 {
                return Err(Unsupported("memory too large for the interpreter".into()));
            }
            self.memory = vec![0; (min * PAGE) as usize];
            self.memory_max = max;
        }
        let desc = self.memory_desc;
        self.w64(desc + vmctx::MEMORY_BASE as u64, HEAP_BASE);
        self.w64(desc + vmctx::MEMORY_LENGTH as u64, self.memory.len() as u64);
        self.w64(vm + vmctx::MEM0_BASE as u64, HEAP_BASE);
        self.w64(vm + vmctx::MEM0_DEF as u64, desc);
        // Tables.
        let defined_tables: Vec<(u64, u64)> =
            self.module.tables.iter().map(|t| (t.limits.min, t.limits.max.unwrap_or(u32::MAX as u64))).collect();
        for (i, (min, max)) in imported_tables.into_iter().chain(defined_tables).enumerate() {
            if min > 1 << 20 {
                return Err(Unsupported("table too large for the interpreter".into()));
            }
            let desc = self.alloc(16);
            let elems = self.alloc(min * 8);
            self.w64(desc + vmctx::TABLE_ELEMS as u64, elems);
            self.w64(desc + vmctx::TABLE_SIZE as u64, min);
            self.w64(vm + self.layout.table(i as u32) as u64, desc);
            self.tables.push(Table { desc, max });
        }
        // Globals.
        for (i, value) in imported_globals.into_iter().enumerate() {
            let cell = self.alloc(16);
            self.write_host(cell, 16, value).expect("in bounds");
            self.w64(vm + self.layout.global(i as u32) as u64, cell);
        }
        let first = self.module.num_imported_globals();
        for (i, g) in self.module.globals.clone().iter().enumerate() {
            let v = self.eval_const(g.init.op)?;
            self.write_host(vm + self.layout.global(first + i as u32) as u64, 16, v).expect("in bounds");
        }
        // Segments.
        for seg in self.module.elements.clone() {
            let items: Vec<u64> = match &seg.items {
                ElementItems::Functions(fs) => fs.iter().map(|&f| self.funcref(f)).collect(),
                ElementItems::Expressions(es) => {
                    es.iter().map(|e| self.eval_const(e.op).map(|v| v as u64)).collect::<Result<_, _>>()?
                }
            };
            match seg.mode {
                ElementMode::Passive => self.elems.push(Some(items)),
                ElementMode::Declarative => self.elems.push(None),
                ElementMode::Active { table, offset } => {
                    let at = self.eval_const(offset.op)? as u32;
                    let n = items.len() as u32;
                    self.elems.push(Some(items));
                    let seg_index = self.elems.len() as u32 - 1;
                    self.table_init(table, seg_index, at, 0, n)
                        .map_err(|_| Unsupported("element segment out of bounds".into()))?;
                    self.elems[seg_index as usize] = None;
                }
            }
        }
        for seg in self.module.data.clone() {
            let contents = seg.bytes(bytes).to_vec();
            match seg.mode {
                DataMode::Passive => self.data.push(Some(contents)),
                DataMode::Active { offset, .. } => {
                    let at = self.eval_const(offset.op)? as u32 as usize;
                    let dst = self.memory.get_mut(at..at + contents.len());
                    dst.ok_or_else(|| Unsupported("data segment out of bounds".into()))?.copy_from_slice(&contents);
                    self.data.push(None);
                }
            }
        }
        Ok(())
    }

    fn eval_const(&self, op: ConstOp) -> Result<u128, Unsupported> {
        Ok(match op {
            ConstOp::I32Const(v) => v as u32 as u128,
            ConstOp::I64Const(v) => v as u64 as u128,
            ConstOp::F32Const(b) => b as u128,
            ConstOp::F64Const(b) => b as u128,
            ConstOp::V128Const(b) => u128::from_le_bytes(b),
            ConstOp::RefNull(_) => 0,
            ConstOp::RefFunc(f) => self.funcref(f) as u128,
            ConstOp::GlobalGet(g) => self.global(g),
        })
    }

    pub fn global(&self, g: u32) -> u128 {
        let slot = self.vmctx + self.layout.global(g) as u64;
        let cell = if g < self.module.num_imported_globals() { self.r64(slot) } else { slot };
        self.read_host(cell, 16).unwrap_or(0)
    }

    pub fn func_type(&self, func: u32) -> Option<FuncType> {
        self.module.func_type(func).cloned()
    }

    /// Call function `func` (imports first) with Wasm arguments.
    pub fn invoke(&mut self, func: u32, args: &[u128]) -> Result<Vec<u128>, TrapCode> {
        let mut full = vec![self.vmctx as u128];
        full.extend_from_slice(args);
        match self.callee(CallTarget::Func(func), &full).map_err(trap_of)? {
            Callee::Ir(f) => self.run_extra(&f, &full),
            Callee::Host(results) => Ok(results),
        }
    }

    /// Run a function that is not part of the module (an array-call trampoline).
    pub fn run_extra(&mut self, func: &Function, args: &[u128]) -> Result<Vec<u128>, TrapCode> {
        Interpreter::new(self, u64::MAX).call(func, args).map_err(trap_of)
    }

    /// Allocate an array of `n` `wasmc_val`s in host memory.
    pub fn alloc_vals(&mut self, vals: &[u128], n: usize) -> u64 {
        let at = self.alloc((n.max(1) as u64) * vmctx::VAL_SIZE as u64);
        for (i, &v) in vals.iter().enumerate() {
            self.write_host(at + i as u64 * 16, 16, v).expect("in bounds");
        }
        at
    }

    pub fn read_val(&self, at: u64, i: usize, ty: Type) -> u128 {
        self.read_host(at + i as u64 * 16, ty.bytes()).unwrap_or(0)
    }

    pub fn vmctx(&self) -> u64 {
        self.vmctx
    }
}

/// The spec runner knows traps only: what the instance cannot model shows as an unknown
/// import, which no assertion of the suite expects.
fn trap_of(stop: Stop) -> TrapCode {
    match stop {
        Stop::Trap(code) => code,
        Stop::Unsupported(_) | Stop::OutOfFuel => TrapCode::UnknownImport,
    }
}

impl Host for Instance {
    fn memory(&mut self, heap: u64) -> Result<&mut [u8], Stop> {
        if heap != HEAP_BASE {
            return Err(Stop::Unsupported(format!("a heap base of {heap:#x}")));
        }
        Ok(&mut self.memory)
    }

    fn load_ptr(&mut self, addr: u64, bytes: u32) -> Result<u128, Stop> {
        let outside = || Stop::Unsupported(format!("a host read at {addr:#x}"));
        self.read_host(addr, bytes).ok_or_else(outside)
    }

    fn store_ptr(&mut self, addr: u64, bytes: u32, value: u128) -> Result<(), Stop> {
        let outside = || Stop::Unsupported(format!("a host write at {addr:#x}"));
        self.write_host(addr, bytes, value).ok_or_else(outside)
    }

    fn callee(&mut self, target: CallTarget, _args: &[u128]) -> Result<Callee, Stop> {
        let func = match target {
            CallTarget::Func(f) => f as u64,
            CallTarget::Code(code) => code.wrapping_sub(CODE_BASE),
        };
        let imported = self.module.num_imported_funcs() as u64;
        if func < imported {
            // spectest's print functions.
            return Ok(Callee::Host(Vec::new()));
        }
        let defined = usize::try_from(func - imported).ok().and_then(|i| self.funcs.get(i));
        let f = defined.ok_or_else(|| Stop::Unsupported(format!("a call to {target:?}")))?;
        Ok(Callee::Ir(Rc::clone(f)))
    }

    fn call_runtime(&mut self, func: RuntimeFn, args: &[u128]) -> Result<Vec<u128>, Stop> {
        // The model takes the arguments after vmctx.
        self.runtime(func, args.get(1..).unwrap_or_default()).map_err(Stop::Trap)
    }
}

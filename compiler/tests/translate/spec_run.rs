//! Runs the spec suite's `assert_return`, `assert_trap` and `assert_exhaustion` directives
//! on translated IR, through each export's array-call trampoline, with the reference IR
//! interpreter (`tests/common/ir_interp/`). Modules the interpreter cannot host (imports other than `spectest`)
//! are skipped with their assertions, and counted.

use crate::interp::{Instance, EXTERN_TAG};
use crate::layout_of;
use std::path::Path;
use wasmc::decode::{self, ExternKind};
use wasmc::ir::TrapCode;
use wasmc::translate;
use wast::core::{WastArgCore, WastRetCore};
use wast::{QuoteWat, WastArg, WastDirective, WastExecute, WastInvoke, WastRet};

#[derive(Default)]
pub struct RunTally {
    pub passed: usize,
    pub skipped: usize,
    pub failures: Vec<String>,
}

struct Current {
    name: Option<String>,
    instance: Instance,
    /// Registered under a name: a later module may import (and change) its memory, tables
    /// or globals, which the interpreter does not model.
    registered: bool,
    /// A later module may have changed it: its assertions are skipped.
    stale: bool,
}

/// Instantiate a module of the script, or say why not.
fn instantiate(module: &mut QuoteWat, opt_level: Option<u8>) -> Result<Current, String> {
    let name = match module {
        QuoteWat::Wat(wast::Wat::Module(m)) => m.id.map(|id| id.name().to_string()),
        _ => None,
    };
    let bytes = module.encode().map_err(|e| e.to_string())?;
    let module = decode::parse(&bytes).map_err(|e| e.to_string())?;
    wasmc::validate::validate(&module, &bytes).map_err(|e| e.to_string())?;
    let layout = layout_of(&module);
    let funcs = (0..module.functions.len() as u32)
        .map(|i| translate::translate_function(&module, &bytes, i, &layout))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let funcs = match opt_level {
        Some(level) => funcs.into_iter().map(|f| optimized(f, level)).collect::<Result<Vec<_>, _>>()?,
        None => funcs,
    };
    let start = module.start;
    let mut instance = Instance::new(module, &bytes, funcs).map_err(|u| u.0)?;
    if let Some(f) = start {
        instance.invoke(f, &[]).map_err(|t| format!("start function trapped: {t:?}"))?;
    }
    Ok(Current { name, instance, registered: false, stale: false })
}

fn arg_value(arg: &WastArg) -> Option<u128> {
    Some(match arg {
        WastArg::Core(WastArgCore::I32(v)) => *v as u32 as u128,
        WastArg::Core(WastArgCore::I64(v)) => *v as u64 as u128,
        WastArg::Core(WastArgCore::F32(f)) => f.bits as u128,
        WastArg::Core(WastArgCore::F64(f)) => f.bits as u128,
        WastArg::Core(WastArgCore::RefNull(_)) => 0,
        WastArg::Core(WastArgCore::RefExtern(n)) => (EXTERN_TAG | *n as u64) as u128,
        WastArg::Core(WastArgCore::V128(v)) => crate::interp::simd::v128_arg(v),
        _ => return None,
    })
}

/// Whether `actual` matches the expectation; `None` if the interpreter cannot tell.
fn matches(expected: &WastRet, actual: u128) -> Option<bool> {
    match expected {
        WastRet::Core(ret) => matches_core(ret, actual),
        _ => None,
    }
}

fn matches_core(ret: &WastRetCore, actual: u128) -> Option<bool> {
    use wast::core::NanPattern;
    Some(match ret {
        WastRetCore::I32(v) => actual == *v as u32 as u128,
        WastRetCore::I64(v) => actual == *v as u64 as u128,
        WastRetCore::F32(NanPattern::Value(f)) => actual == f.bits as u128,
        WastRetCore::F32(_) => f32::from_bits(actual as u32).is_nan(),
        WastRetCore::F64(NanPattern::Value(f)) => actual == f.bits as u128,
        WastRetCore::F64(_) => f64::from_bits(actual as u64).is_nan(),
        WastRetCore::RefNull(_) => actual == 0,
        WastRetCore::V128(pattern) => crate::interp::simd::v128_matches(pattern, actual),
        WastRetCore::RefExtern(Some(n)) => actual == (EXTERN_TAG | *n as u64) as u128,
        WastRetCore::RefExtern(None) | WastRetCore::RefFunc(_) => actual != 0,
        WastRetCore::Either(options) => {
            let any = options.iter().filter_map(|o| matches_core(o, actual)).any(|m| m);
            return Some(any);
        }
        _ => return None,
    })
}

/// The trap the spec's message names, if the message is one we know.
fn expected_trap(message: &str) -> Option<TrapCode> {
    let table = [
        ("unreachable", TrapCode::Unreachable),
        ("integer divide by zero", TrapCode::IntegerDivideByZero),
        ("integer overflow", TrapCode::IntegerOverflow),
        ("invalid conversion to integer", TrapCode::InvalidConversion),
        ("out of bounds memory access", TrapCode::MemoryOutOfBounds),
        ("undefined element", TrapCode::TableOutOfBounds),
        ("out of bounds table access", TrapCode::TableOutOfBounds),
        ("uninitialized element", TrapCode::IndirectCallNull),
        ("indirect call type mismatch", TrapCode::IndirectCallBadSig),
        ("call stack exhausted", TrapCode::StackOverflow),
    ];
    table.iter().find(|(m, _)| message.starts_with(m)).map(|&(_, t)| t)
}

/// `func` after the optimisation pipeline of `level`.
fn optimized(mut func: wasmc::ir::Function, level: u8) -> Result<wasmc::ir::Function, String> {
    wasmc::passes::run(&mut func, level, None).map_err(|e| format!("passes: {e}"))?;
    Ok(func)
}

/// Call an export through its array-call trampoline; `None` if it cannot be run here.
fn invoke(current: &mut Current, inv: &WastInvoke) -> Option<Result<Vec<u128>, TrapCode>> {
    let inst = &mut current.instance;
    let export = inst.module.exports.iter().find(|e| e.name == inv.name && e.kind == ExternKind::Func)?;
    let func = export.index;
    let ty = inst.func_type(func)?;
    let args = inv.args.iter().map(arg_value).collect::<Option<Vec<_>>>()?;
    if ty.params.len() != args.len() {
        return None;
    }
    let layout = layout_of(&inst.module);
    let trampoline = translate::array_call_trampoline(&inst.module, func, &layout);
    let vals = inst.alloc_vals(&args, ty.params.len().max(ty.results.len()));
    let vmctx = inst.vmctx();
    Some(
        inst.run_extra(&trampoline, &[vmctx as u128, vals as u128]).map(|_| {
            ty.results.iter().enumerate().map(|(i, &t)| inst.read_val(vals, i, translate::ir_type(t))).collect()
        }),
    )
}

/// The instance an action addresses, if the interpreter hosts it.
fn target<'c>(current: &'c mut Option<Current>, module: Option<wast::token::Id>) -> Option<&'c mut Current> {
    let c = current.as_mut().filter(|c| !c.stale)?;
    match module {
        Some(id) if c.name.as_deref() != Some(id.name()) => None,
        _ => Some(c),
    }
}

/// Run the script's assertions on the translated IR, optimised at `opt_level` if given.
pub fn run_script(path: &Path, opt_level: Option<u8>, tally: &mut RunTally) {
    let Ok(text) = std::fs::read_to_string(path) else { return };
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let mut lexer = wast::lexer::Lexer::new(&text);
    lexer.allow_confusing_unicode(true);
    let Ok(buffer) = wast::parser::ParseBuffer::new_with_lexer(lexer) else { return };
    let Ok(script) = wast::parser::parse::<wast::Wast>(&buffer) else { return };
    let mut current: Option<Current> = None;
    for directive in script.directives {
        let (line, _) = directive.span().linecol_in(&text);
        let here = format!("{name}:{}", line + 1);
        match directive {
            WastDirective::Module(mut module) => current = instantiate(&mut module, opt_level).ok(),
            WastDirective::AssertReturn { exec: WastExecute::Invoke(inv), results, .. } => {
                let Some(c) = target(&mut current, inv.module) else {
                    tally.skipped += 1;
                    continue;
                };
                match invoke(c, &inv) {
                    None => tally.skipped += 1,
                    Some(Err(trap)) => tally.failures.push(format!("{here}: {}: trapped: {trap:?}", inv.name)),
                    Some(Ok(actual)) => {
                        let verdicts: Vec<Option<bool>> =
                            results.iter().zip(&actual).map(|(e, &a)| matches(e, a)).collect();
                        if verdicts.iter().any(Option::is_none) || results.len() != actual.len() {
                            tally.skipped += 1;
                        } else if verdicts.iter().all(|v| *v == Some(true)) {
                            tally.passed += 1;
                        } else {
                            tally.failures.push(format!("{here}: {}: got {actual:x?}", inv.name));
                        }
                    }
                }
            }
            WastDirective::AssertTrap { exec: WastExecute::Invoke(inv), message, .. }
            | WastDirective::AssertExhaustion { call: inv, message, .. } => {
                let Some(c) = target(&mut current, inv.module) else {
                    tally.skipped += 1;
                    continue;
                };
                match invoke(c, &inv) {
                    None => tally.skipped += 1,
                    Some(Ok(v)) => {
                        tally.failures.push(format!("{here}: {}: returned {v:x?}, expected trap {message}", inv.name))
                    }
                    Some(Err(trap)) => match expected_trap(message) {
                        Some(expected) if expected != trap => {
                            tally.failures.push(format!("{here}: {}: trapped {trap:?}, expected {message}", inv.name))
                        }
                        _ => tally.passed += 1,
                    },
                }
            }
            WastDirective::Register { .. } => {
                if let Some(c) = current.as_mut() {
                    c.registered = true;
                }
            }
            WastDirective::AssertTrap { exec: WastExecute::Wat(_), .. }
            | WastDirective::AssertUnlinkable { .. }
            | WastDirective::ModuleInstance { .. } => {
                if let Some(c) = current.as_mut() {
                    c.stale |= c.registered;
                }
            }
            WastDirective::Invoke(inv) => {
                if let Some(c) = target(&mut current, inv.module) {
                    let _ = invoke(c, &inv);
                }
            }
            _ => {}
        }
    }
}

//! Turns a `.wast` script into a plan: the modules to compile, the steps the native test
//! program executes in order, and what each step must produce. Assertions about decoding and
//! validation (`assert_malformed`, `assert_invalid`) are settled here, in the compiler itself.

use std::collections::HashMap;

use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Const, V128Pattern, WastArgCore, WastRetCore};
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastArg, WastDirective, WastExecute, WastInvoke, WastRet};

use super::values::{Expected, FloatPat, V128Pat, Val};

/// Instance 0 is always the `spectest` host module.
pub const SPECTEST_INSTANCE: u32 = 0;

/// One thing for the test program to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Instantiate compiled module `module` as instance `instance`.
    Instantiate { module: usize, instance: u32 },
    /// Make an instance's exports importable under `name`.
    Register { name: String, instance: u32 },
    /// Call an exported function.
    Invoke { instance: u32, name: String, args: Vec<Val> },
    /// Read an exported global.
    Get { instance: u32, name: String },
}

/// What a step must produce.
#[derive(Clone, Debug, PartialEq)]
pub enum Expect {
    /// Succeed (results, if any, are not checked).
    Success,
    Return(Vec<Expected>),
    /// Trap with a message starting with this text.
    Trap(String),
    Exhaustion(String),
    /// Fail to link (unknown import, incompatible import type).
    Unlinkable(String),
}

#[derive(Clone, Debug)]
pub struct Step {
    pub line: usize,
    pub action: Action,
    pub expect: Expect,
    /// Does this step count as an assertion (as opposed to set-up such as `register`)?
    pub is_assertion: bool,
}

/// A module to compile.
#[derive(Clone, Debug)]
pub struct PlannedModule {
    pub line: usize,
    pub bytes: Vec<u8>,
}

/// The result of an assertion settled without running anything.
#[derive(Clone, Debug)]
pub struct StaticOutcome {
    pub line: usize,
    /// `None` if it passed, else why it failed.
    pub failure: Option<String>,
}

#[derive(Default, Debug)]
pub struct Plan {
    pub modules: Vec<PlannedModule>,
    pub steps: Vec<Step>,
    pub static_outcomes: Vec<StaticOutcome>,
}

/// Decode and validate with wasmc's own front end; `Err` carries the reason for rejection.
pub type Checker = dyn Fn(&[u8]) -> Result<(), String>;

/// Build the plan of a script. `check` decodes and validates a binary module.
pub fn plan_script(text: &str, check: &Checker) -> Result<Plan, String> {
    // The suite's names.wast deliberately uses bidirectional-override characters.
    let mut lexer = wast::lexer::Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buf = ParseBuffer::new_with_lexer(lexer).map_err(|e| with_text(e, text))?;
    let wast: Wast = parser::parse(&buf).map_err(|e| with_text(e, text))?;
    let mut b = Builder { text, check, plan: Plan::default(), named: HashMap::new(), current: None, next_instance: 1 };
    for directive in wast.directives {
        b.directive(directive)?;
    }
    Ok(b.plan)
}

fn with_text(mut e: wast::Error, text: &str) -> String {
    e.set_text(text);
    e.to_string()
}

struct Builder<'t> {
    text: &'t str,
    check: &'t Checker,
    plan: Plan,
    /// `$name` of a module or instance → instance id.
    named: HashMap<String, u32>,
    /// The most recently instantiated instance (what unnamed invokes refer to).
    current: Option<u32>,
    next_instance: u32,
}

impl Builder<'_> {
    fn line(&self, span: wast::token::Span) -> usize {
        span.linecol_in(self.text).0 + 1
    }

    fn fail_static(&mut self, line: usize, why: impl Into<String>) {
        self.plan.static_outcomes.push(StaticOutcome { line, failure: Some(why.into()) });
    }

    fn pass_static(&mut self, line: usize) {
        self.plan.static_outcomes.push(StaticOutcome { line, failure: None });
    }

    fn step(&mut self, line: usize, action: Action, expect: Expect, is_assertion: bool) {
        self.plan.steps.push(Step { line, action, expect, is_assertion });
    }

    /// Add a module to compile; `None` (and a recorded failure) if it cannot even be encoded.
    fn add_module(&mut self, line: usize, module: &mut QuoteWat) -> Option<usize> {
        match module.encode() {
            Ok(bytes) => {
                self.plan.modules.push(PlannedModule { line, bytes });
                Some(self.plan.modules.len() - 1)
            }
            Err(e) => {
                self.fail_static(line, format!("cannot encode module: {}", with_text(e, self.text)));
                None
            }
        }
    }

    fn new_instance(&mut self, name: Option<&str>) -> u32 {
        let id = self.next_instance;
        self.next_instance += 1;
        if let Some(name) = name {
            self.named.insert(name.to_string(), id);
        }
        self.current = Some(id);
        id
    }

    fn instance_of(&self, id: Option<wast::token::Id>) -> Result<u32, String> {
        match id {
            Some(id) => self.named.get(id.name()).copied().ok_or_else(|| format!("unknown module ${}", id.name())),
            None => self.current.ok_or_else(|| "no module instantiated yet".to_string()),
        }
    }

    fn directive(&mut self, d: WastDirective) -> Result<(), String> {
        let line = self.line(d.span());
        match d {
            WastDirective::Module(mut module) => {
                let name = module.name().map(|id| id.name().to_string());
                if let Some(m) = self.add_module(line, &mut module) {
                    let instance = self.new_instance(name.as_deref());
                    self.step(line, Action::Instantiate { module: m, instance }, Expect::Success, true);
                }
            }
            WastDirective::ModuleDefinition(mut module) => {
                // Compiled now, instantiated by a later `module instance`.
                let name = module.name().map(|id| id.name().to_string());
                if let Some(m) = self.add_module(line, &mut module) {
                    if let Some(name) = name {
                        self.named.insert(format!("definition {name}"), m as u32);
                    }
                }
            }
            WastDirective::ModuleInstance { instance, module, .. } => {
                let m = module
                    .and_then(|id| self.named.get(&format!("definition {}", id.name())).copied())
                    .ok_or("module instance of an unknown definition")?;
                let id = self.new_instance(instance.map(|i| i.name()));
                self.step(line, Action::Instantiate { module: m as usize, instance: id }, Expect::Success, true);
            }
            WastDirective::AssertMalformed { mut module, .. } => {
                let rejected = match module.encode() {
                    Err(_) => Ok(()),
                    Ok(bytes) => self.rejects(&bytes),
                };
                self.settle_rejection(line, rejected, "malformed");
            }
            WastDirective::AssertInvalid { mut module, .. } => {
                let rejected = match module.encode() {
                    Err(_) => Ok(()),
                    Ok(bytes) => self.rejects(&bytes),
                };
                self.settle_rejection(line, rejected, "invalid");
            }
            WastDirective::Register { name, module, .. } => {
                let instance = self.instance_of(module)?;
                self.step(line, Action::Register { name: name.to_string(), instance }, Expect::Success, false);
            }
            WastDirective::Invoke(invoke) => {
                let action = self.invoke(invoke)?;
                self.step(line, action, Expect::Success, true);
            }
            WastDirective::AssertReturn { exec, results, .. } => {
                let expected = results.iter().map(expected).collect::<Result<Vec<_>, _>>()?;
                self.execute(line, exec, Expect::Return(expected))?;
            }
            WastDirective::AssertTrap { exec, message, .. } => {
                self.execute(line, exec, Expect::Trap(message.to_string()))?;
            }
            WastDirective::AssertExhaustion { call, message, .. } => {
                let action = self.invoke(call)?;
                self.step(line, action, Expect::Exhaustion(message.to_string()), true);
            }
            WastDirective::AssertUnlinkable { mut module, message, .. } => {
                let mut quoted = QuoteWat::Wat(std::mem::replace(&mut module, dummy_wat()));
                if let Some(m) = self.add_module(line, &mut quoted) {
                    // Its instance id is never referred to again: the module must not link.
                    let instance = self.next_instance;
                    self.next_instance += 1;
                    self.step(line, Action::Instantiate { module: m, instance }, Expect::Unlinkable(message.to_string()), true);
                }
            }
            other => {
                self.fail_static(line, format!("unsupported directive {:?}", std::mem::discriminant(&other)));
            }
        }
        Ok(())
    }

    fn rejects(&self, bytes: &[u8]) -> Result<(), String> {
        match (self.check)(bytes) {
            Err(_) => Ok(()),
            Ok(()) => Err("module was accepted".to_string()),
        }
    }

    fn settle_rejection(&mut self, line: usize, rejected: Result<(), String>, what: &str) {
        match rejected {
            Ok(()) => self.pass_static(line),
            Err(why) => self.fail_static(line, format!("expected a {what} module to be rejected: {why}")),
        }
    }

    fn invoke(&self, invoke: WastInvoke) -> Result<Action, String> {
        let instance = self.instance_of(invoke.module)?;
        let args = invoke.args.iter().map(argument).collect::<Result<Vec<_>, _>>()?;
        Ok(Action::Invoke { instance, name: invoke.name.to_string(), args })
    }

    fn execute(&mut self, line: usize, exec: WastExecute, expect: Expect) -> Result<(), String> {
        match exec {
            WastExecute::Invoke(invoke) => {
                let action = self.invoke(invoke)?;
                self.step(line, action, expect, true);
            }
            WastExecute::Get { module, global, .. } => {
                let instance = self.instance_of(module)?;
                self.step(line, Action::Get { instance, name: global.to_string() }, expect, true);
            }
            WastExecute::Wat(wat) => {
                // assert_uninstantiable: instantiation must trap (e.g. in the start function or
                // an out-of-bounds segment).
                let mut quoted = QuoteWat::Wat(wat);
                if let Some(m) = self.add_module(line, &mut quoted) {
                    let instance = self.next_instance;
                    self.next_instance += 1;
                    self.step(line, Action::Instantiate { module: m, instance }, expect, true);
                }
            }
        }
        Ok(())
    }
}

fn dummy_wat() -> wast::Wat<'static> {
    wast::Wat::Module(wast::core::Module {
        span: wast::token::Span::from_offset(0),
        id: None,
        name: None,
        kind: wast::core::ModuleKind::Binary(vec![]),
    })
}

fn argument(arg: &WastArg) -> Result<Val, String> {
    let WastArg::Core(arg) = arg else { return Err("component-model argument".into()) };
    Ok(match arg {
        WastArgCore::I32(x) => Val::I32(*x as u32),
        WastArgCore::I64(x) => Val::I64(*x as u64),
        WastArgCore::F32(x) => Val::F32(x.bits),
        WastArgCore::F64(x) => Val::F64(x.bits),
        WastArgCore::V128(v) => Val::V128(v128_bits(v)),
        WastArgCore::RefNull(HeapType::Abstract { ty: AbstractHeapType::Func, .. }) => Val::FuncNull,
        WastArgCore::RefNull(HeapType::Abstract { ty: AbstractHeapType::Extern, .. }) => Val::ExternNull,
        WastArgCore::RefExtern(n) => Val::Extern(*n),
        other => return Err(format!("unsupported argument {other:?}")),
    })
}

fn expected(ret: &WastRet) -> Result<Expected, String> {
    let WastRet::Core(ret) = ret else { return Err("component-model result".into()) };
    expected_core(ret)
}

fn expected_core(ret: &WastRetCore) -> Result<Expected, String> {
    Ok(match ret {
        WastRetCore::I32(x) => Expected::I32(*x as u32),
        WastRetCore::I64(x) => Expected::I64(*x as u64),
        WastRetCore::F32(p) => Expected::F32(float_pat(p, |f| f.bits)),
        WastRetCore::F64(p) => Expected::F64(float_pat(p, |f| f.bits)),
        WastRetCore::V128(p) => Expected::V128(v128_pat(p)),
        WastRetCore::RefNull(_) => Expected::RefNull,
        WastRetCore::RefExtern(Some(n)) => Expected::Extern(*n),
        WastRetCore::RefFunc(_) => Expected::Func,
        WastRetCore::Either(alts) => Expected::Either(alts.iter().map(expected_core).collect::<Result<_, _>>()?),
        other => return Err(format!("unsupported expected result {other:?}")),
    })
}

fn float_pat<F: Copy, T>(p: &NanPattern<F>, bits: impl Fn(F) -> T) -> FloatPat<T> {
    match p {
        NanPattern::CanonicalNan => FloatPat::CanonicalNan,
        NanPattern::ArithmeticNan => FloatPat::ArithmeticNan,
        NanPattern::Value(v) => FloatPat::Bits(bits(*v)),
    }
}

/// Lane 0 is the least significant part of the u128 (Wasm's little-endian lane order).
fn lanes_to_u128(lanes: impl DoubleEndedIterator<Item = u128>, bits: u32) -> u128 {
    lanes.rev().fold(0u128, |acc, lane| (acc << bits) | lane)
}

fn v128_bits(v: &V128Const) -> u128 {
    match v {
        V128Const::I8x16(l) => lanes_to_u128(l.iter().map(|&x| x as u8 as u128), 8),
        V128Const::I16x8(l) => lanes_to_u128(l.iter().map(|&x| x as u16 as u128), 16),
        V128Const::I32x4(l) => lanes_to_u128(l.iter().map(|&x| x as u32 as u128), 32),
        V128Const::I64x2(l) => lanes_to_u128(l.iter().map(|&x| x as u64 as u128), 64),
        V128Const::F32x4(l) => lanes_to_u128(l.iter().map(|x| x.bits as u128), 32),
        V128Const::F64x2(l) => lanes_to_u128(l.iter().map(|x| x.bits as u128), 64),
    }
}

fn v128_pat(p: &V128Pattern) -> V128Pat {
    match p {
        V128Pattern::I8x16(l) => V128Pat::Bits(lanes_to_u128(l.iter().map(|&x| x as u8 as u128), 8)),
        V128Pattern::I16x8(l) => V128Pat::Bits(lanes_to_u128(l.iter().map(|&x| x as u16 as u128), 16)),
        V128Pattern::I32x4(l) => V128Pat::Bits(lanes_to_u128(l.iter().map(|&x| x as u32 as u128), 32)),
        V128Pattern::I64x2(l) => V128Pat::Bits(lanes_to_u128(l.iter().map(|&x| x as u64 as u128), 64)),
        V128Pattern::F32x4(l) => V128Pat::F32x4(std::array::from_fn(|i| float_pat(&l[i], |f| f.bits))),
        V128Pattern::F64x2(l) => V128Pat::F64x2(std::array::from_fn(|i| float_pat(&l[i], |f| f.bits))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept_all(_: &[u8]) -> Result<(), String> {
        Ok(())
    }

    #[test]
    fn plans_modules_invokes_and_assertions() {
        let script = r#"
            (module $A (func (export "f") (param i32) (result i32) local.get 0))
            (assert_return (invoke "f" (i32.const 7)) (i32.const 7))
            (register "a" $A)
            (module (func (export "g") (result f32) f32.const nan))
            (assert_return (invoke "g") (f32.const nan:canonical))
            (assert_trap (invoke $A "f" (i32.const 1)) "unreachable")
            (assert_malformed (module quote "(func") "unexpected end")
        "#;
        let plan = plan_script(script, &accept_all).unwrap();
        assert_eq!(plan.modules.len(), 2);
        let actions: Vec<_> = plan.steps.iter().map(|s| s.action.clone()).collect();
        assert_eq!(actions[0], Action::Instantiate { module: 0, instance: 1 });
        assert_eq!(actions[1], Action::Invoke { instance: 1, name: "f".into(), args: vec![Val::I32(7)] });
        assert_eq!(actions[2], Action::Register { name: "a".into(), instance: 1 });
        assert_eq!(actions[3], Action::Instantiate { module: 1, instance: 2 });
        assert_eq!(actions[4], Action::Invoke { instance: 2, name: "g".into(), args: vec![] });
        assert_eq!(plan.steps[4].expect, Expect::Return(vec![Expected::F32(FloatPat::CanonicalNan)]));
        assert_eq!(actions[5], Action::Invoke { instance: 1, name: "f".into(), args: vec![Val::I32(1)] });
        assert_eq!(plan.steps[5].expect, Expect::Trap("unreachable".into()));
        assert!(!plan.steps[2].is_assertion, "register is set-up, not an assertion");
        // The quoted module does not parse: malformed, settled statically.
        assert_eq!(plan.static_outcomes.len(), 1);
        assert!(plan.static_outcomes[0].failure.is_none());
    }

    #[test]
    fn an_invalid_module_that_is_accepted_is_a_failure() {
        let script = r#"(assert_invalid (module (func (result i32))) "type mismatch")"#;
        let plan = plan_script(script, &accept_all).unwrap();
        assert!(plan.static_outcomes[0].failure.is_some());
        let plan = plan_script(script, &|_: &[u8]| Err("type mismatch".to_string())).unwrap();
        assert!(plan.static_outcomes[0].failure.is_none());
    }

    #[test]
    fn v128_lane_order_is_little_endian() {
        assert_eq!(v128_bits(&V128Const::I32x4([1, 2, 3, 4])), 0x00000004_00000003_00000002_00000001);
        assert_eq!(v128_bits(&V128Const::I8x16([-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2])), (2u128 << 120) | 0xff);
    }
}

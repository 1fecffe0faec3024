//! The object file of one module: its code in `.text`, one symbol per function, the
//! relocations the backend asked for, and the metadata the runtime instantiates it from.
//!
//! Symbols (all start with the module's prefix so several modules link into one program):
//! - `<prefix>_<name>` or `<prefix>_f<index>`: each defined function (local);
//! - `<prefix>_array_<index>`: each array-call trampoline (local);
//! - `<prefix>_meta`: the metadata (global), and `wasmc_main_meta` at the same place when
//!   the module is the program's entry;
//! - `wasmc_main_grants`: for the entry module, what the program may see (see [`grants`]).

pub mod grants;
pub mod imports;
pub mod meta;
#[cfg(test)]
pub(crate) mod tests;

use std::collections::{HashMap, HashSet};

use object::write::{Object, Relocation, StandardSection, Symbol, SymbolId, SymbolSection};
use object::{
    Architecture, BinaryFormat, Endianness, RelocationEncoding, RelocationFlags, RelocationKind,
    SectionKind, SymbolFlags, SymbolKind, SymbolScope,
};

use crate::decode::module::Module;
use crate::isa::{CompiledFunction, RelocKind, RelocTarget};
use crate::{Error, Result};

/// What the object is for: the instruction set and the object format follow.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Target {
    X86_64Linux,
    Aarch64Linux,
    X86_64MacOs,
    Aarch64MacOs,
}

impl Target {
    fn format(self) -> BinaryFormat {
        match self {
            Target::X86_64Linux | Target::Aarch64Linux => BinaryFormat::Elf,
            Target::X86_64MacOs | Target::Aarch64MacOs => BinaryFormat::MachO,
        }
    }
    fn architecture(self) -> Architecture {
        match self {
            Target::X86_64Linux | Target::X86_64MacOs => Architecture::X86_64,
            Target::Aarch64Linux | Target::Aarch64MacOs => Architecture::Aarch64,
        }
    }
}

#[derive(Clone, Debug)]
pub struct ObjectOptions {
    pub target: Target,
    /// Every symbol of the module starts with it.
    pub prefix: String,
    /// Also define `wasmc_main_meta`, which the runtime's `main` instantiates, and
    /// `wasmc_main_grants`; the module's imports must then be WASI's.
    pub entry: bool,
    /// The entry module's capabilities.
    pub grants: grants::Grants,
    /// CPU extensions the code needs (`WASMC_CPU_*` bits), checked by the runtime at start-up.
    pub cpu_features: u32,
}

/// Code alignment of every function and trampoline.
const FUNC_ALIGN: u64 = 16;

/// Writes the object file of `module` (whose binary is `bytes`): `funcs` are its defined
/// functions in order, `trampolines` the array-call entries of its exported functions.
pub fn write_object(
    module: &Module,
    bytes: &[u8],
    funcs: &[CompiledFunction],
    trampolines: &[(u32, CompiledFunction)],
    opts: &ObjectOptions,
) -> Result<Vec<u8>> {
    if funcs.len() != module.functions.len() {
        return Err(Error::msg(format!(
            "{} compiled functions for {} defined functions",
            funcs.len(),
            module.functions.len()
        )));
    }
    if opts.entry {
        imports::check_entry_imports(module, opts.grants.trap_unknown_imports)?;
    }
    let mut obj = Object::new(
        opts.target.format(),
        opts.target.architecture(),
        Endianness::Little,
    );
    match opts.target.format() {
        // Without it, GNU ld assumes the code needs an executable stack.
        BinaryFormat::Elf => {
            obj.add_section(Vec::new(), b".note.GNU-stack".to_vec(), SectionKind::Note);
        }
        // Apple's linker warns about objects that name no platform; 11.0 is the first
        // macOS on arm64.
        BinaryFormat::MachO => {
            let mut version = object::write::MachOBuildVersion::default();
            version.platform = object::macho::PLATFORM_MACOS;
            version.minos = object::macho::Version::new(11, 0, 0);
            version.sdk = version.minos;
            obj.set_macho_build_version(version);
        }
        _ => {}
    }
    let text = obj.section_id(StandardSection::Text);
    let local = |name: String, value: u64, size: u64, kind: SymbolKind| Symbol {
        name: name.into_bytes(),
        value,
        size,
        kind,
        scope: SymbolScope::Compilation,
        weak: false,
        section: SymbolSection::Section(text),
        flags: SymbolFlags::None,
    };
    let text_symbol = obj.section_symbol(text);

    // Lay out the code: functions, then trampolines.
    let imported = module.num_imported_funcs();
    let names = function_symbol_names(module, &opts.prefix);
    let mut func_offsets = Vec::with_capacity(funcs.len());
    let mut func_symbols = Vec::with_capacity(funcs.len());
    for (i, f) in funcs.iter().enumerate() {
        let offset = obj.append_section_data(text, &f.code, FUNC_ALIGN);
        func_offsets.push((code_offset(offset)?, f.code.len() as u32));
        let name = names[imported as usize + i].clone();
        func_symbols.push(obj.add_symbol(local(
            name,
            offset,
            f.code.len() as u64,
            SymbolKind::Text,
        )));
    }
    let mut trampoline_offsets = Vec::with_capacity(trampolines.len());
    for (func, t) in trampolines {
        let offset = obj.append_section_data(text, &t.code, FUNC_ALIGN);
        trampoline_offsets.push((*func, code_offset(offset)?));
        let name = format!("{}_array_{}", opts.prefix, func);
        obj.add_symbol(local(name, offset, t.code.len() as u64, SymbolKind::Text));
    }
    let text_size = obj.section(text).data().len() as u64;

    // Relocations and traps, now that every function has its place.
    let mut runtime_symbols = HashMap::new();
    let mut traps = Vec::new();
    let mut srclocs = Vec::new();
    let all_code = funcs
        .iter()
        .enumerate()
        .map(|(i, f)| (imported + i as u32, func_offsets[i].0, f))
        .chain(
            trampolines
                .iter()
                .zip(&trampoline_offsets)
                .map(|((func, t), &(_, off))| (*func, off, t)),
        );
    for (func, offset, f) in all_code {
        for r in &f.relocs {
            let symbol = match &r.target {
                RelocTarget::Func(callee) => callee
                    .checked_sub(imported)
                    .and_then(|defined| func_symbols.get(defined as usize))
                    .copied()
                    .ok_or_else(|| {
                        Error::msg(format!("relocation to function {callee}, not defined here"))
                    })?,
                RelocTarget::Symbol(name) => runtime_symbol(&mut obj, &mut runtime_symbols, name),
            };
            obj.add_relocation(
                text,
                Relocation {
                    offset: u64::from(offset) + u64::from(r.offset),
                    symbol,
                    addend: r.addend,
                    flags: relocation_flags(r.kind, opts.target)?,
                },
            )
            .map_err(|e| Error::msg(format!("relocation: {e}")))?;
        }
        traps.extend(
            f.traps
                .iter()
                .map(|&(at, code)| (offset + at, code as u32, func)),
        );
        srclocs.extend(f.srclocs.iter().map(|&(at, wasm)| (offset + at, wasm)));
    }

    let code = meta::CodeLayout {
        text_size,
        func_offsets: &func_offsets,
        trampolines: &trampoline_offsets,
        traps,
        srclocs,
    };
    let blob = meta::build_for_cpu(module, bytes, &code, opts.cpu_features)?;
    let data = obj.section_id(StandardSection::ReadOnlyDataWithRel);
    let meta_offset = obj.append_section_data(data, &blob, 16);
    obj.add_relocation(
        data,
        Relocation {
            offset: meta_offset + meta::TEXT_START_FIELD,
            symbol: text_symbol,
            addend: 0,
            flags: RelocationFlags::Generic {
                kind: RelocationKind::Absolute,
                encoding: RelocationEncoding::Generic,
                size: 64,
            },
        },
    )
    .map_err(|e| Error::msg(format!("relocation: {e}")))?;
    let mut meta_names = vec![format!("{}_meta", opts.prefix)];
    if opts.entry {
        meta_names.push("wasmc_main_meta".to_string());
    }
    for name in meta_names {
        obj.add_symbol(Symbol {
            name: name.into_bytes(),
            value: meta_offset,
            size: blob.len() as u64,
            kind: SymbolKind::Data,
            scope: SymbolScope::Linkage,
            weak: false,
            section: SymbolSection::Section(data),
            flags: SymbolFlags::None,
        });
    }
    if opts.entry {
        let mut grants = opts.grants.encode()?.into_bytes();
        grants.push(0);
        let rodata = obj.section_id(StandardSection::ReadOnlyData);
        let offset = obj.append_section_data(rodata, &grants, 1);
        obj.add_symbol(Symbol {
            name: b"wasmc_main_grants".to_vec(),
            value: offset,
            size: grants.len() as u64,
            kind: SymbolKind::Data,
            scope: SymbolScope::Linkage,
            weak: false,
            section: SymbolSection::Section(rodata),
            flags: SymbolFlags::None,
        });
    }
    obj.write()
        .map_err(|e| Error::msg(format!("writing the object file: {e}")))
}

fn code_offset(offset: u64) -> Result<u32> {
    u32::try_from(offset).map_err(|_| Error::msg("module code exceeds 4 GiB"))
}

/// A symbol name per function index: `<prefix>_<name>` when the name section gives a name
/// that is unique and usable in a symbol, else `<prefix>_f<index>`.
fn function_symbol_names(module: &Module, prefix: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    (0..module.num_funcs())
        .map(|func| {
            let usable = module.func_name(func).filter(|n| {
                !n.is_empty()
                    && n.bytes()
                        .all(|c| c.is_ascii_alphanumeric() || b"_.$".contains(&c))
            });
            match usable {
                Some(name) if seen.insert(name) => format!("{prefix}_{name}"),
                _ => format!("{prefix}_f{func}"),
            }
        })
        .collect()
}

/// The undefined global symbol for a runtime function, added once.
fn runtime_symbol(obj: &mut Object, known: &mut HashMap<String, SymbolId>, name: &str) -> SymbolId {
    *known.entry(name.to_string()).or_insert_with(|| {
        obj.add_symbol(Symbol {
            name: name.as_bytes().to_vec(),
            value: 0,
            size: 0,
            kind: SymbolKind::Text,
            scope: SymbolScope::Dynamic,
            weak: false,
            section: SymbolSection::Undefined,
            flags: SymbolFlags::None,
        })
    })
}

fn relocation_flags(kind: RelocKind, target: Target) -> Result<RelocationFlags> {
    let arch = target.architecture();
    let (kind, encoding, size) = match (kind, arch) {
        (RelocKind::X86PcRel4, Architecture::X86_64) => {
            (RelocationKind::Relative, RelocationEncoding::Generic, 32)
        }
        // (Relative, X86Branch) is R_X86_64_PLT32 in ELF and a branch in Mach-O.
        (RelocKind::X86CallPlt4, Architecture::X86_64) => {
            (RelocationKind::Relative, RelocationEncoding::X86Branch, 32)
        }
        (RelocKind::Arm64Call26, Architecture::Aarch64) => (
            RelocationKind::Relative,
            RelocationEncoding::AArch64Call,
            26,
        ),
        (RelocKind::Abs8, _) => (RelocationKind::Absolute, RelocationEncoding::Generic, 64),
        _ => {
            return Err(Error::msg(format!(
                "relocation {kind:?} does not exist on {target:?}"
            )))
        }
    };
    Ok(RelocationFlags::Generic {
        kind,
        encoding,
        size,
    })
}

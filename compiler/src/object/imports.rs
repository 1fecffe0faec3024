//! The imports of a program's entry module: the runtime's `main` links it against WASI and
//! nothing else, so an import WASI does not define (or defines with another type) is
//! reported at compile time, naming the import, rather than when the program starts.

use crate::decode::module::{ImportKind, Module};
use crate::decode::types::ValType;
use crate::{Error, Result};

/// Checks every import of `module` against `runtime_lib::WASI_FUNCTIONS`. With
/// `allow_unknown`, function imports WASI lacks are accepted (the runtime makes them trap
/// when called); a WASI function imported with the wrong type is always an error.
pub fn check_entry_imports(module: &Module, allow_unknown: bool) -> Result<()> {
    for import in &module.imports {
        let wasi = (import.module == runtime_lib::WASI_MODULE)
            .then(|| {
                runtime_lib::WASI_FUNCTIONS
                    .iter()
                    .find(|(name, _, _)| *name == import.field)
            })
            .flatten();
        let unknown = || {
            Error::at(
                import.offset,
                format!("unknown import {:?}.{:?}", import.module, import.field),
            )
        };
        match (&import.kind, wasi) {
            (ImportKind::Func(type_index), Some((_, params, results))) => {
                let ty = module.types.get(*type_index as usize).ok_or_else(unknown)?;
                if codes(&ty.params) != *params || codes(&ty.results) != *results {
                    return Err(Error::at(
                        import.offset,
                        format!(
                            "incompatible import type for {:?}.{:?}",
                            import.module, import.field
                        ),
                    ));
                }
            }
            (ImportKind::Func(_), None) if allow_unknown => {}
            _ => return Err(unknown()),
        }
    }
    Ok(())
}

fn codes(types: &[ValType]) -> Vec<u8> {
    types
        .iter()
        .map(|t| super::meta::valtype_code(*t))
        .collect()
}

//! What a command module may see when it runs: the capabilities baked into its executable
//! as the NUL-terminated string `wasmc_main_grants`, read by `runtime-lib/src/grants.c`
//! (whose header comment defines the format: records `<tag><decimal length>:<bytes>`).

use crate::{Error, Result};

/// One environment grant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvGrant {
    /// `--env NAME=VALUE`: the guest sees this value.
    Set { name: String, value: String },
    /// `--env NAME`: the guest sees the host's NAME, if it is set when the program runs.
    Inherit(String),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grants {
    /// (host directory, guest name), pre-opened as fds 3, 4, ... in this order.
    pub dirs: Vec<(String, String)>,
    pub env: Vec<EnvGrant>,
    /// `--inherit-env`: the whole host environment, before the `env` grants.
    pub inherit_env: bool,
    /// Imports nothing provides trap when called instead of failing instantiation.
    pub trap_unknown_imports: bool,
    /// Also take grants from `WASMC_RUN_GRANTS` at run time: only for the executables
    /// `wasmc run` builds into its cache and runs itself.
    pub from_run_env: bool,
}

impl Grants {
    /// `--dir HOST[::GUEST]`; the guest name defaults to HOST as written.
    pub fn add_dir(&mut self, spec: &str) -> Result<()> {
        let (host, guest) = spec.split_once("::").unwrap_or((spec, spec));
        if host.is_empty() || guest.is_empty() {
            return Err(Error::msg(format!(
                "--dir '{spec}': expected HOST or HOST::GUEST"
            )));
        }
        self.dirs.push((host.to_string(), guest.to_string()));
        Ok(())
    }

    /// `--env NAME[=VALUE]`.
    pub fn add_env(&mut self, spec: &str) -> Result<()> {
        let grant = match spec.split_once('=') {
            Some((name, value)) => EnvGrant::Set {
                name: name.to_string(),
                value: value.to_string(),
            },
            None => EnvGrant::Inherit(spec.to_string()),
        };
        let name = match &grant {
            EnvGrant::Set { name, .. } | EnvGrant::Inherit(name) => name,
        };
        if name.is_empty() {
            return Err(Error::msg(format!(
                "--env '{spec}': expected NAME or NAME=VALUE"
            )));
        }
        self.env.push(grant);
        Ok(())
    }

    /// The grants string. It cannot hold NUL bytes, which no path, name or value has anyway.
    pub fn encode(&self) -> Result<String> {
        let mut out = String::new();
        let mut record = |tag: char, bytes: &str| -> Result<()> {
            if bytes.contains('\0') {
                return Err(Error::msg(format!("grant {bytes:?} contains a NUL byte")));
            }
            out.push(tag);
            out.push_str(&format!("{}:{bytes}", bytes.len()));
            Ok(())
        };
        if self.from_run_env {
            record('r', "")?;
        }
        if self.trap_unknown_imports {
            record('u', "")?;
        }
        if self.inherit_env {
            record('i', "")?;
        }
        for grant in &self.env {
            match grant {
                EnvGrant::Set { name, value } => record('e', &format!("{name}={value}"))?,
                EnvGrant::Inherit(name) => record('e', name)?,
            }
        }
        for (host, guest) in &self.dirs {
            record('d', host)?;
            record('g', guest)?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_length_prefixed() {
        let mut g = Grants::default();
        g.add_dir("/tmp/a b::/data").unwrap();
        g.add_dir("rel").unwrap();
        g.add_env("K=v=w").unwrap();
        g.add_env("HOME").unwrap();
        g.inherit_env = true;
        assert_eq!(
            g.encode().unwrap(),
            "i0:e5:K=v=we4:HOMEd8:/tmp/a bg5:/datad3:relg3:rel"
        );
    }

    #[test]
    fn run_grants_and_unknown_imports_come_first() {
        let g = Grants {
            from_run_env: true,
            trap_unknown_imports: true,
            ..Grants::default()
        };
        assert_eq!(g.encode().unwrap(), "r0:u0:");
    }

    #[test]
    fn malformed_grants_are_refused() {
        let mut g = Grants::default();
        assert!(g.add_dir("::guest").is_err());
        assert!(g.add_dir("host::").is_err());
        assert!(g.add_env("=value").is_err());
        g.add_env("K=a\0b").unwrap();
        assert!(g.encode().is_err());
    }
}

//! `--set key=value` overrides with dotted keys, and the `base = "..."` merge of variants.
use super::ConfigError;
use toml::{Table, Value};

/// One override: a dotted key path and its new value.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// Dotted key, e.g. `train.epochs`.
    pub key: String,
    /// The value, parsed as a TOML value (`5`, `0.1`, `true`, `"x"`), or a bare string.
    pub value: Value,
}

impl std::fmt::Display for Override {
    /// `key=value` with the value as TOML (strings quoted), which parses back to `self`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.key, self.value)
    }
}

impl std::str::FromStr for Override {
    type Err = ConfigError;

    /// Parses `key=value`.
    ///
    /// # Errors
    /// [`ConfigError::BadOverride`] without `=` or with an empty key segment.
    fn from_str(arg: &str) -> Result<Self, ConfigError> {
        let bad = || ConfigError::BadOverride { arg: arg.into() };
        let (key, raw) = arg.split_once('=').ok_or_else(bad)?;
        let key = key.trim();
        if key.split('.').any(|s| s.trim().is_empty()) {
            return Err(bad());
        }
        let raw = raw.trim();
        let value = toml::from_str::<Table>(&format!("v = {raw}"))
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| Value::String(raw.to_string()));
        Ok(Self {
            key: key.to_string(),
            value,
        })
    }
}

/// Sets `ov.key` in `table`, creating no new sections: the parent section must exist
/// (unknown leaf keys are left for the typed check to reject with the full path).
///
/// # Errors
/// [`ConfigError::InvalidKey`] when a segment of the path is not a section.
pub fn apply(table: &mut Table, ov: &Override) -> Result<(), ConfigError> {
    let segments: Vec<&str> = ov.key.split('.').map(str::trim).collect();
    let (leaf, parents) = segments
        .split_last()
        .expect("keys have at least one segment");
    let mut cur = table;
    for (depth, seg) in parents.iter().enumerate() {
        let path = segments[..=depth].join(".");
        match cur.get(*seg) {
            Some(Value::Table(_)) => {}
            Some(_) => return Err(ConfigError::key(path, "is a value, not a section")),
            None => {
                let sections = section_names(table_keys(cur));
                return Err(ConfigError::key(
                    path,
                    format!("no such section; sections here are {sections}"),
                ));
            }
        }
        cur = cur
            .get_mut(*seg)
            .and_then(Value::as_table_mut)
            .expect("checked to be a section above");
    }
    cur.insert((*leaf).to_string(), ov.value.clone());
    Ok(())
}

fn table_keys(t: &Table) -> Vec<String> {
    t.iter()
        .filter(|(_, v)| v.is_table())
        .map(|(k, _)| k.clone())
        .collect()
}

fn section_names(names: Vec<String>) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Deep-merges `over` into `base`: sections merge key by key, other values replace.
pub fn merge(base: &mut Table, over: Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(Value::Table(b)), Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_typed_and_bare_values() {
        let o: Override = "train.epochs=5".parse().unwrap();
        assert_eq!(o.key, "train.epochs");
        assert_eq!(o.value, Value::Integer(5));
        let o: Override = "model.kind = cnn".parse().unwrap();
        assert_eq!(o.value, Value::String("cnn".into()));
        let o: Override = "train.lr=1e-3".parse().unwrap();
        assert_eq!(o.value, Value::Float(1e-3));
        assert!("train.epochs".parse::<Override>().is_err());
        assert!("train..x=1".parse::<Override>().is_err());
    }

    #[test]
    fn display_parses_back() {
        for arg in [
            "train.epochs=5",
            "model.kind=\"cnn\"",
            "train.lr=0.001",
            "a.b=true",
        ] {
            let o: Override = arg.parse().unwrap();
            assert_eq!(o.to_string(), arg);
            assert_eq!(o.to_string().parse::<Override>().unwrap(), o);
        }
        let bare: Override = "data.dir=/tmp/x y".parse().unwrap();
        assert_eq!(bare.to_string(), "data.dir=\"/tmp/x y\"");
    }

    #[test]
    fn merge_is_deep() {
        let mut a: Table = toml::from_str("x = 1\n[s]\na = 1\nb = 2").unwrap();
        let b: Table = toml::from_str("[s]\nb = 3").unwrap();
        merge(&mut a, b);
        assert_eq!(a["s"]["a"].as_integer(), Some(1));
        assert_eq!(a["s"]["b"].as_integer(), Some(3));
        assert_eq!(a["x"].as_integer(), Some(1));
    }

    #[test]
    fn apply_rejects_missing_section() {
        let mut a: Table = toml::from_str("[train]\nepochs = 1").unwrap();
        let err = apply(&mut a, &"trian.epochs=2".parse().unwrap()).unwrap_err();
        assert!(err.to_string().contains("trian"), "{err}");
        apply(&mut a, &"train.epochs=2".parse().unwrap()).unwrap();
        assert_eq!(a["train"]["epochs"].as_integer(), Some(2));
    }
}

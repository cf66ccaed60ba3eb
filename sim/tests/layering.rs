//! The core's modules depend on each other one way (docs/architecture.md, "Module
//! dependencies"): no two import each other, directly or around a loop.

use std::collections::{BTreeMap, BTreeSet};

/// Each module of `sim/src` (a file, or a folder's `mod.rs` and the files under it) and the
/// modules of the crate it names (`crate::x`, `crate::{x, y::z}`), comments left out.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut text: BTreeMap<String, String> = BTreeMap::new();
    let mut files = vec![src.clone()];
    while let Some(dir) = files.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap();
            let top = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy();
            let module = top.trim_end_matches(".rs").to_string();
            if module == "lib" || module == "bin" {
                continue;
            }
            let body: String = std::fs::read_to_string(&path)
                .unwrap()
                .lines()
                .map(|l| l.split("//").next().unwrap_or(""))
                .collect::<Vec<_>>()
                .join("\n");
            text.entry(module).or_default().push_str(&body);
        }
    }
    let names: BTreeSet<String> = text.keys().cloned().collect();
    let mut g = BTreeMap::new();
    for (module, body) in &text {
        let mut deps = BTreeSet::new();
        for (i, _) in body.match_indices("crate::") {
            let rest = &body[i + "crate::".len()..];
            let named: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                group.split(',').collect()
            } else {
                vec![rest]
            };
            for n in named {
                let n = n.trim();
                let end = n
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(n.len());
                let dep = &n[..end];
                if names.contains(dep) && dep != module {
                    deps.insert(dep.to_string());
                }
            }
        }
        g.insert(module.clone(), deps);
    }
    g
}

/// The loops of the graph: its strongly connected parts of more than one module.
fn loops(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            for d in &g[&m] {
                if seen.insert(d.clone()) {
                    todo.push(d.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> = g.keys().map(|m| (m, reach(m))).collect();
    let mut out: BTreeSet<Vec<String>> = BTreeSet::new();
    for m in g.keys() {
        let part: Vec<String> = g
            .keys()
            .filter(|o| *o == m || (reaches[m].contains(*o) && reaches[*o].contains(m)))
            .cloned()
            .collect();
        if part.len() > 1 {
            out.insert(part);
        }
    }
    out.into_iter().collect()
}

#[test]
fn the_cores_modules_depend_one_way() {
    let g = graph();
    assert!(
        g.contains_key("world") && g.contains_key("queue"),
        "{:?}",
        g.keys()
    );
    let found = loops(&g);
    assert!(
        found.is_empty(),
        "modules that import each other, around a loop: {found:?} (make the dependency one way)"
    );
}

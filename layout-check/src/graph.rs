//! Circles: the strongly connected groups of a crate's file graph (Tarjan's algorithm).

use std::path::{Path, PathBuf};

use crate::modules::{CrateTree, LayoutError};

/// Files of one crate that import each other, directly or through one another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Circle {
    /// The crate's root file.
    pub root: PathBuf,
    /// The files in the circle.
    pub files: Vec<PathBuf>,
    /// The imports that close it: `file:line imports path (file)`.
    pub imports: Vec<String>,
}

impl std::fmt::Display for Circle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "import circle in the crate of {}:", self.root.display())?;
        for import in &self.imports {
            writeln!(f, "  {import}")?;
        }
        Ok(())
    }
}

/// Every import circle between the files of the crates rooted in `package` (a directory
/// with `src/`), paths shown relative to `base`.
pub fn circles(package: &Path, base: &Path) -> Result<Vec<Circle>, LayoutError> {
    let mut found = Vec::new();
    for root in CrateTree::roots(package) {
        let tree = CrateTree::read(&root)?;
        let edges = tree.edges();
        let mut adjacency = vec![Vec::new(); tree.files.len()];
        for (from, to, _, _) in &edges {
            adjacency[*from].push(*to);
        }
        for group in strongly_connected(&adjacency) {
            if group.len() < 2 {
                continue;
            }
            let show = |i: usize| {
                let p = &tree.files[i].path;
                p.strip_prefix(base).unwrap_or(p).display().to_string()
            };
            let imports = edges
                .iter()
                .filter(|(from, to, _, _)| group.contains(from) && group.contains(to))
                .map(|(from, to, path, line)| {
                    format!("{}:{line} imports {path} ({})", show(*from), show(*to))
                })
                .collect();
            found.push(Circle {
                root: root.strip_prefix(base).unwrap_or(&root).to_path_buf(),
                files: group.iter().map(|&i| tree.files[i].path.clone()).collect(),
                imports,
            });
        }
    }
    Ok(found)
}

/// Tarjan's strongly connected components, iteratively (no recursion depth limit).
fn strongly_connected(adjacency: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = adjacency.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut groups = Vec::new();
    let mut next = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        // (node, position in its adjacency list)
        let mut work = vec![(start, 0usize)];
        index[start] = next;
        low[start] = next;
        next += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&mut (node, ref mut pos)) = work.last_mut() {
            if let Some(&succ) = adjacency[node].get(*pos) {
                *pos += 1;
                if index[succ] == usize::MAX {
                    index[succ] = next;
                    low[succ] = next;
                    next += 1;
                    stack.push(succ);
                    on_stack[succ] = true;
                    work.push((succ, 0));
                } else if on_stack[succ] {
                    low[node] = low[node].min(index[succ]);
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[node]);
                }
                if low[node] == index[node] {
                    let mut group = Vec::new();
                    while let Some(member) = stack.pop() {
                        on_stack[member] = false;
                        group.push(member);
                        if member == node {
                            break;
                        }
                    }
                    group.sort_unstable();
                    groups.push(group);
                }
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_circle_of_three_and_leaves_a_chain_alone() {
        // 0 -> 1 -> 2 -> 0 is a circle; 3 -> 0 only feeds it.
        let groups = strongly_connected(&[vec![1], vec![2], vec![0], vec![0]]);
        let circles: Vec<_> = groups.into_iter().filter(|g| g.len() > 1).collect();
        assert_eq!(circles, [vec![0, 1, 2]]);
    }

    #[test]
    fn a_chain_has_no_circle() {
        let groups = strongly_connected(&[vec![1], vec![2], vec![]]);
        assert!(groups.iter().all(|g| g.len() == 1));
    }
}

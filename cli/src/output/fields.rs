//! `label: value` lines with the values lined up.

/// Rows of `label: value`, printed with every value in one column.
#[derive(Debug, Default)]
pub struct Fields {
    rows: Vec<(String, String)>,
}

impl Fields {
    pub fn new() -> Fields {
        Fields::default()
    }

    pub fn push(&mut self, label: impl Into<String>, value: impl Into<String>) {
        self.rows.push((label.into(), value.into()));
    }

    /// One line per row, each starting with `indent`.
    pub fn render(&self, indent: &str) -> String {
        let width = self
            .rows
            .iter()
            .map(|(label, _)| label.chars().count())
            .max()
            .unwrap_or(0);
        let mut text = String::new();
        for (label, value) in &self.rows {
            let label = format!("{label}:");
            text.push_str(&format!("{indent}{label:<pad$} {value}\n", pad = width + 1));
        }
        text
    }
}

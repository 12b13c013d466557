//! Mean and sample standard deviation over seeds, and how tables print them.
use std::fmt;

/// The mean and spread of a metric over `n` runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Number of values.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation `√(Σ (x − mean)² / (n − 1))`; `None` for one value.
    pub std: Option<f64>,
}

impl Summary {
    /// The summary of `values`, or `None` when there are none. A NaN (a diverged run) makes
    /// the mean and the deviation NaN: the table shows it rather than hiding the run.
    ///
    /// # Example
    /// ```
    /// use gm_experiments::report::Summary;
    /// let s = Summary::of(&[0.5, 0.7, 0.9]).unwrap();
    /// assert!((s.mean - 0.7).abs() < 1e-12);
    /// assert!((s.std.unwrap() - 0.2).abs() < 1e-12);
    /// assert_eq!(Summary::of(&[0.5]).unwrap().std, None);
    /// assert_eq!(s.to_string(), "0.7000 ± 0.2000");
    /// assert_eq!(Summary::of(&[0.5]).unwrap().to_string(), "0.5000 ± —");
    /// ```
    pub fn of(values: &[f64]) -> Option<Self> {
        let n = values.len();
        if n == 0 {
            return None;
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let std = (n > 1).then(|| {
            let ss: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
            (ss / (n - 1) as f64).sqrt()
        });
        Some(Self { n, mean, std })
    }
}

impl fmt::Display for Summary {
    /// `mean ± std` with four decimals (or the precision asked for), `—` for the deviation of
    /// a single value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = f.precision().unwrap_or(4);
        match self.std {
            Some(s) => write!(f, "{:.p$} ± {s:.p$}", self.mean),
            None => write!(f, "{:.p$} ± —", self.mean),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_deviation_by_hand() {
        // mean 3, squared deviations 4 + 0 + 1 + 1 = 6 (values 1, 3, 4, 4): std = √(6 / 3).
        let s = Summary::of(&[1.0, 3.0, 4.0, 4.0]).unwrap();
        assert_eq!((s.n, s.mean), (4, 3.0));
        assert!((s.std.unwrap() - 2f64.sqrt()).abs() < 1e-15);
        assert_eq!(format!("{s:.2}"), "3.00 ± 1.41");
        let two = Summary::of(&[0.80, 0.84]).unwrap();
        assert!((two.std.unwrap() - 0.04 / 2f64.sqrt()).abs() < 1e-12);
        assert!(Summary::of(&[]).is_none());
        assert!(Summary::of(&[1.0, f64::NAN]).unwrap().mean.is_nan());
    }
}

//! Device selection: CUDA when available, else CPU.

use crate::{NnError, Result};
use std::str::FromStr;
use tch::Device;

/// Which device to run on, as given on the command line (`--device cpu|cuda|auto`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeviceChoice {
    /// CUDA device 0 when libtorch sees a GPU, else the CPU.
    #[default]
    Auto,
    /// The CPU.
    Cpu,
    /// CUDA device `N` (an error if CUDA is unavailable).
    Cuda(usize),
}

impl FromStr for DeviceChoice {
    type Err = NnError;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Self::Auto),
            "cpu" => Ok(Self::Cpu),
            "cuda" | "gpu" => Ok(Self::Cuda(0)),
            other => other
                .strip_prefix("cuda:")
                .and_then(|k| k.parse().ok())
                .map(Self::Cuda)
                .ok_or_else(|| NnError::UnknownDevice(s.to_string())),
        }
    }
}

/// Resolves a [`DeviceChoice`] to a tch [`Device`].
///
/// # Errors
/// [`NnError::CudaUnavailable`] when CUDA is requested explicitly and libtorch sees no GPU.
pub fn select_device(choice: DeviceChoice) -> Result<Device> {
    match choice {
        DeviceChoice::Cpu => Ok(Device::Cpu),
        DeviceChoice::Auto => Ok(Device::cuda_if_available()),
        DeviceChoice::Cuda(k) => {
            if tch::Cuda::is_available() && k < tch::Cuda::device_count() as usize {
                Ok(Device::Cuda(k))
            } else {
                Err(NnError::CudaUnavailable)
            }
        }
    }
}

/// The name users read and write for `device`: `cpu`, `cuda:N` (what `--device` accepts and
/// `result.json` records), or the lower-cased libtorch name of another device.
///
/// # Example
/// ```
/// assert_eq!(gm_nn::device::device_name(tch::Device::Cuda(1)), "cuda:1");
/// assert_eq!(gm_nn::device::device_name(tch::Device::Cpu), "cpu");
/// ```
pub fn device_name(device: Device) -> String {
    match device {
        Device::Cpu => "cpu".into(),
        Device::Cuda(k) => format!("cuda:{k}"),
        other => format!("{other:?}").to_lowercase(),
    }
}

impl std::fmt::Display for DeviceChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Auto => f.pad("auto"),
            Self::Cpu => f.pad("cpu"),
            Self::Cuda(k) => f.pad(&format!("cuda:{k}")),
        }
    }
}

/// Waits for the work queued on `device` (a no-op on the CPU); timings of CUDA work need it.
pub fn synchronize(device: tch::Device) {
    if let tch::Device::Cuda(i) = device {
        tch::Cuda::synchronize(i as i64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_device_names() {
        assert_eq!("auto".parse::<DeviceChoice>().unwrap(), DeviceChoice::Auto);
        assert_eq!("CPU".parse::<DeviceChoice>().unwrap(), DeviceChoice::Cpu);
        assert_eq!(
            "cuda".parse::<DeviceChoice>().unwrap(),
            DeviceChoice::Cuda(0)
        );
        assert_eq!(
            "cuda:1".parse::<DeviceChoice>().unwrap(),
            DeviceChoice::Cuda(1)
        );
        assert!(matches!(
            "tpu".parse::<DeviceChoice>(),
            Err(NnError::UnknownDevice(_))
        ));
    }

    #[test]
    fn cpu_is_always_selectable() {
        assert_eq!(select_device(DeviceChoice::Cpu).unwrap(), Device::Cpu);
        let auto = select_device(DeviceChoice::Auto).unwrap();
        assert_eq!(auto.is_cuda(), tch::Cuda::is_available());
        if !tch::Cuda::is_available() {
            assert!(matches!(
                select_device(DeviceChoice::Cuda(0)),
                Err(NnError::CudaUnavailable)
            ));
        }
    }
}

pub mod chart;
pub mod form;
pub mod session;

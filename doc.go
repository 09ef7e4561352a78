// Package civicgrid is the domain of a city's grid-based urban-management
// platform (数字城管): the administrative tree and unit grid cells
// (万米单元网格), the component and event taxonomy (部件/事件), the case
// workflow from report to close on working-time clocks, users and their
// scopes, and the ports (storage, clock, notification) that adapters
// implement.
//
// The package imports only the standard library; storage, HTTP and the
// command line live in sibling packages.
package civicgrid

// Package environments holds the typed definitions of every deployment the
// platform synthesizes (test, stage, prod and customer deployments) and the
// validation that runs before any construct is built.
//
// The package is plain data: it imports no CDKTF code, so every layer may
// read it and a validation error never leaves a half-built app behind.
package environments

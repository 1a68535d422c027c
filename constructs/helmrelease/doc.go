// Package helmrelease creates Helm releases from typed Go values: charts
// from a repository with their values marshalled to YAML, and plain
// Kubernetes manifests carried by a small chart that ships with this package.
package helmrelease

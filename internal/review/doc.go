// Package review compares a synthesized fleet of CDKTF stacks with a
// reviewed baseline (the snapshots of the working tree or of a git ref)
// and renders the difference as a pull-request comment.
//
// It reads the synthesized Terraform JSON only, without Terraform or the
// providers, so what it reports is a prediction. It flags the changes that
// destroy a resource: an address that changes without a moved block, or an
// attribute that forces replacement according to the table in forcenew.go.
// It also flags the changes to IAM policies, trust policies, security-group
// rules and policy suppressions, which a reviewer must read first.
package review

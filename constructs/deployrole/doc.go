// Package deployrole creates the role Terraform assumes in a target account
// to deploy the platform.
package deployrole

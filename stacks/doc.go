// Package stacks builds the platform's Terraform stacks from validated
// environments: one constructor per kind of stack, the S3 backend and AWS
// provider every stack shares, and the selection of which stacks to build.
//
// Stacks only wire backends, providers and constructs together; what a
// resource looks like is decided in the construct packages.
package stacks

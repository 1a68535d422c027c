// Package twingate manages Twingate through its Terraform provider and runs
// Twingate connectors on ECS Fargate.
//
// No prebuilt CDKTF bindings exist for the Twingate provider, so the provider
// block and the three Twingate resources used here (remote network, connector
// and connector tokens) are thin typed wrappers over CDKTF's generic
// TerraformProvider and TerraformResource. Nothing checks their arguments
// against the provider schema at synth time: the wrappers' config types and
// Validate methods are the only checks before terraform plan.
//
// Connectors is the composite the substrate uses: a remote network plus a
// number of connectors, each an ECS service of one Fargate task in its own
// private subnet.
//
// The Twingate API token never appears in the synthesized Terraform JSON. The
// provider reads it from the TWINGATE_API_TOKEN environment variable of the
// process that runs Terraform. The connector tokens do end up in Terraform
// state, because twingate_connector_tokens stores them there, so the state
// backend must be encrypted and access to it restricted.
package twingate

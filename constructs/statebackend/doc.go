// Package statebackend creates the S3 bucket and DynamoDB lock table that
// hold Terraform state for one region, both encrypted with a customer-managed
// KMS key of purpose state. The bootstrap stack creates one backend per
// region for the other stacks to store their state in.
//
// The bucket accepts only TLS requests and rejects object uploads that ask
// for an encryption other than SSE-KMS. A backend configured with
// `encrypt = true` but without `kms_key_id` sends the SSE-S3 header and is
// rejected, so configure the backend either with `kms_key_id` set to the
// key ARN or without `encrypt`, which leaves the bucket's default encryption
// (this key) in effect.
//
// The bucket policy also denies every S3 action on the bucket and its
// objects to principals other than Config.AccessRoleARNs and
// Config.AdminRoleARNs, so an IAM policy such as AdministratorAccess alone
// does not reach the state. The lock table has no such policy: its items
// hold lock and checksum data, not state.
package statebackend

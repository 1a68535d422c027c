// Package accountbaseline creates the account-wide guardrails of a target
// or orchestration account: the S3 account-level public access block,
// default EBS encryption with a customer-managed key, and an IAM Access
// Analyzer analyzer for the account.
package accountbaseline

// Package policy is the platform's policy pack: named rules that every
// synthesized stack must pass before the app writes it to cdktf.out.
//
// Rules read a stack's synthesized Terraform JSON, the same document
// Terraform receives, after CDKTF has resolved every value a construct can
// know at synth time. A rule reports each resource that breaks it with the
// resource's construct path, what is wrong and how to fix it, and Check
// reports every violation of every stack at once.
//
// A resource may be exempt from a rule only through Suppress, which needs
// a written reason. The suppression travels in the resource's "//" comment
// block, which Terraform ignores, so it shows in the snapshots and in
// reviews of the synthesized JSON, and Check lists it in its report.
package policy

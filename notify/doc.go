// Package notify watches the catalog and tells subscribed admins when an
// app's compliance record changes.
//
// The pipeline, modelled on Prometheus Alertmanager's notify package:
//
//   - [Syncer] reads each catalog source (package source: a directory, or a
//     git repository commit by commit), parses only the pages that
//     changed, diffs them against the stored records with
//     attestation.Diff, groups source-side bulk backfills into one event per
//     (commit, key), optionally waits for a second locale to confirm a
//     change, writes the events and the new records, and advances the
//     source's cursor under a fenced lease, so that exactly one replica
//     syncs at a time and a crash at any point neither loses nor repeats an
//     event. A page is voted against its other locales at the same source
//     hash (attestation.ReconcileStored); when a later locale outvotes one
//     that arrived first, shifted, the pending events of that locale are
//     re-planned (attestation.Replan) and a change the vote repaired is
//     dropped. Events are dispatched once every source of the pass is
//     synced, so such a change never reaches a subscriber.
//   - [Dispatcher] turns ready events into outbox messages, one per tenant
//     and bulk-sized group of subscribers ([Subscriptions.Subscribers]).
//   - [Deliverer] claims outbox messages (Redis Streams with a consumer
//     group on Redis, leased entries in the store's KV area on bbolt),
//     sends Teams activity feed notifications through an [ActivitySender]
//     (bulk when several users of a tenant get the same event) and diff
//     cards through a [ProactiveSender], within the Graph limits, with
//     retries, backoff with jitter, an idempotency key per (event, user) and
//     a dead-letter list admins can read.
//
// Every stored key of a subscription, a delivery or a dead letter carries
// the tenant ID; no query reads across tenants.
//
// [Service] assembles the whole from a [Config] for cmd/attestbot: Run for
// serve (periodic sync on the lease holder, delivery on every replica),
// RunOnce for "attestbot sync --once".
package notify

package store

// User is a Teams user as attestbot knows them: the tenant and the Entra
// object ID Teams vouches for (bot.IdentityOf), never a channel user ID.
// The conversation (chat.User) and the alerts (notify.User) are this type;
// a subscription stores the identity and the locale, never the name.
type User struct {
	// TenantID is the Entra tenant ID.
	TenantID string `json:"tenant_id"`
	// ID is the key of the user's stored conversation reference: the
	// Entra object ID Teams vouches for, as is AADObjectID; empty when the
	// activity carries none.
	ID string `json:"id"`
	// AADObjectID is the user's Entra object ID, the recipient of activity
	// feed notifications.
	AADObjectID string `json:"aad_object_id,omitempty"`
	// Name is the display name Teams sends (not stored).
	Name string `json:"-"`
	// Locale is the Teams client's locale, such as fr-FR. A subscription
	// keeps the one it was made in: its alerts are written in it (empty for
	// a subscription made before it was kept, which reads English).
	Locale string `json:"locale,omitempty"`
}

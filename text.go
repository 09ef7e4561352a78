package civicgrid

// Text is a user-facing string in Chinese (zh-CN, the default) and English.
type Text struct {
	Zh string `json:"zh"`
	En string `json:"en,omitempty"`
}

// In returns the text in lang ("en" for English, anything else Chinese),
// falling back to Chinese when no English text exists.
func (t Text) In(lang string) string {
	if lang == "en" && t.En != "" {
		return t.En
	}
	return t.Zh
}

package web

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"civicgrid"
)

// multipartSlack is the room allowed for multipart framing around a photo.
const multipartSlack = 64 << 10

// photoJSON describes an uploaded photo.
type photoJSON struct {
	ID        string           `json:"id"`
	MIME      string           `json:"mime"`
	Size      int64            `json:"size"`
	Width     int              `json:"width"`
	Height    int              `json:"height"`
	Taken     *time.Time       `json:"taken,omitempty"` // from EXIF
	GPS       *civicgrid.Point `json:"gps,omitempty"`   // from EXIF
	Thumbnail string           `json:"thumbnail,omitempty"`
}

func (s *Server) handlePhotoUpload(w http.ResponseWriter, r *http.Request) error {
	data, err := readPhoto(w, r)
	if err != nil {
		return err
	}
	a, err := s.photos.Upload(r.Context(), data)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/photos/"+a.ID)
	out := photoJSON{ID: a.ID, MIME: a.MIME, Size: a.Size, Width: a.Width, Height: a.Height, GPS: a.GPS}
	if a.Taken != nil {
		t := a.Taken.In(s.city.City().Location())
		out.Taken = &t
	}
	if a.ThumbnailID != "" {
		out.Thumbnail = "/api/v1/photos/" + a.ID + "/thumbnail"
	}
	return encode(w, http.StatusCreated, out)
}

// readPhoto returns the uploaded bytes: the whole body when it is sent as
// an image, or the part named photo of a multipart form.
func readPhoto(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case err == nil && strings.HasPrefix(mt, "image/"):
		if r.ContentLength > civicgrid.MaxPhotoBytes {
			return nil, photoTooLarge()
		}
		data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, civicgrid.MaxPhotoBytes))
		if err != nil {
			return nil, uploadError(err)
		}
		return data, nil
	case err == nil && mt == "multipart/form-data" && params["boundary"] != "":
		if r.ContentLength > civicgrid.MaxPhotoBytes+multipartSlack {
			return nil, photoTooLarge()
		}
		return readPhotoPart(multipart.NewReader(http.MaxBytesReader(w, r.Body, civicgrid.MaxPhotoBytes+multipartSlack), params["boundary"]))
	}
	return nil, civicgrid.Errorf(civicgrid.Invalid, "Content-Type must be an image type (image/jpeg, image/png, image/webp) or multipart/form-data with a field named photo")
}

// readPhotoPart returns the bytes of the part named photo.
func readPhotoPart(mr *multipart.Reader) ([]byte, error) {
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return nil, civicgrid.FieldError("photo", "required: send the image in a multipart field named photo")
		}
		if err != nil {
			return nil, uploadError(err)
		}
		if p.FormName() != "photo" {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(p, civicgrid.MaxPhotoBytes+1))
		if err != nil {
			return nil, uploadError(err)
		}
		if len(data) > civicgrid.MaxPhotoBytes {
			return nil, photoTooLarge()
		}
		return data, nil
	}
}

func photoTooLarge() error {
	return civicgrid.Errorf(civicgrid.TooLarge, "a photo may be at most %d bytes", civicgrid.MaxPhotoBytes)
}

// uploadError classifies a failure to read an upload.
func uploadError(err error) error {
	if errors.As(err, new(*http.MaxBytesError)) {
		return photoTooLarge()
	}
	return &civicgrid.Error{Code: civicgrid.Invalid, Message: "the upload could not be read: " + err.Error(), Err: err}
}

func (s *Server) handlePhotoShow(w http.ResponseWriter, r *http.Request) error {
	return s.servePhoto(w, r, false)
}

// handlePhotoThumbnail serves the small JPEG made at upload; a photo without
// one (WebP) is 404.
func (s *Server) handlePhotoThumbnail(w http.ResponseWriter, r *http.Request) error {
	return s.servePhoto(w, r, true)
}

// servePhoto streams the photo {id}, or its thumbnail.
func (s *Server) servePhoto(w http.ResponseWriter, r *http.Request, thumbnail bool) error {
	id := r.PathValue("id")
	if len(id) != 64 || strings.Trim(id, "0123456789abcdef") != "" {
		return civicgrid.Errorf(civicgrid.NotFound, "photo %q not found", id)
	}
	ctx := r.Context()
	var a *civicgrid.Attachment
	err := s.store.View(ctx, func(tx civicgrid.Tx) error {
		var err error
		a, err = tx.FindAttachment(ctx, id)
		return err
	})
	if err != nil {
		return err
	}
	blob, mimeType, size := a.ID, a.MIME, a.Size
	if thumbnail {
		if a.ThumbnailID == "" {
			return civicgrid.Errorf(civicgrid.NotFound, "photo %s has no thumbnail", id)
		}
		blob, mimeType, size = a.ThumbnailID, "image/jpeg", -1
	}
	rc, err := s.blobs.Open(ctx, blob)
	if err != nil {
		return err
	}
	defer rc.Close()
	// The id is the hash of the bytes, so a response never goes stale.
	h := w.Header()
	h.Set("Content-Type", mimeType)
	h.Set("Cache-Control", "private, max-age=31536000, immutable")
	h.Set("ETag", `"`+blob+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	if rs, ok := rc.(io.ReadSeeker); ok {
		http.ServeContent(w, r, "", a.CreatedAt, rs)
		return nil
	}
	if r.Header.Get("If-None-Match") == `"`+blob+`"` {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	if size >= 0 {
		h.Set("Content-Length", strconv.FormatInt(size, 10))
	}
	_, _ = io.Copy(w, rc) // a failed copy is a client that went away
	return nil
}

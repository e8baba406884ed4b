package ui

import (
	"net/url"
	"strconv"
)

const pageSize = 50

// listPage is the paging of a list: where it starts, how much it shows, links around.
type listPage struct {
	Total, Offset, Limit, Shown int
	Prev, Next                  string
}

// pageOffset reads ?page=N (from 1) into an offset.
func pageOffset(q url.Values) int {
	n, err := strconv.Atoi(q.Get("page"))
	if err != nil || n < 1 || n > 100000 {
		return 0
	}
	return (n - 1) * pageSize
}

// paginate builds the links to the previous and next pages, keeping the other filters.
func paginate(u *url.URL, total, offset, shown int) listPage {
	lp := listPage{Total: total, Offset: offset, Limit: pageSize, Shown: shown}
	link := func(page int) string {
		q := u.Query()
		if page <= 1 {
			q.Del("page")
		} else {
			q.Set("page", strconv.Itoa(page))
		}
		if len(q) == 0 {
			return u.Path
		}
		return u.Path + "?" + q.Encode()
	}
	current := offset/pageSize + 1
	if offset > 0 {
		lp.Prev = link(current - 1)
	}
	if offset+shown < total {
		lp.Next = link(current + 1)
	}
	return lp
}

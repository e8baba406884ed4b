package demo

import (
	"bytes"
	"fmt"
	"strings"

	"parcours/internal/i18n"
	"parcours/internal/model"
)

// The demo's attachments are tiny but valid PDF files: one A4 page of Helvetica text, with a
// correct cross-reference table, so that any reader opens them.

// cvPDF is a one-page CV.
func cvPDF(p *model.Person, st *model.Structure, role model.MemberRole) []byte {
	return onePagePDF("Curriculum vitae — "+p.FirstName+" "+p.LastName, []string{
		i18n.T("person.profession." + string(p.Profession)),
		i18n.T("member.role."+string(role)) + ", " + st.Name,
		p.Email,
		"",
		"Document fictif : données de démonstration de Parcours.",
	})
}

// letterPDF is an employer's letter of support.
func letterPDF(p *model.Person, st *model.Structure) []byte {
	return onePagePDF("Lettre de soutien — "+st.Name, []string{
		"Le bureau de " + st.Name + " soutient la candidature de " + p.FirstName + " " + p.LastName,
		"au diplôme de coordinateur de structure d'exercice coordonné, et s'engage à aménager",
		"son temps de travail pendant les seize mois de la formation.",
		"",
		"Document fictif : données de démonstration de Parcours.",
	})
}

// onePagePDF lays out a title and lines on one page.
func onePagePDF(title string, lines []string) []byte {
	var content bytes.Buffer
	fmt.Fprintf(&content, "BT\n/F1 16 Tf\n56 780 Td\n(%s) Tj\n/F1 11 Tf\n0 -32 Td\n", pdfString(title))
	for _, l := range lines {
		fmt.Fprintf(&content, "(%s) Tj\n0 -16 Td\n", pdfString(l))
	}
	content.WriteString("ET\n")

	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// pdfString writes s as the bytes of a PDF literal string in WinAnsiEncoding.
func pdfString(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteByte(byte(r))
		case r >= 0x20 && r < 0x7f, r >= 0xa0 && r <= 0xff:
			b.WriteByte(byte(r))
		case r == 'œ':
			b.WriteByte(0x9c)
		case r == 'Œ':
			b.WriteByte(0x8c)
		case r == '—':
			b.WriteByte(0x97)
		case r == '’':
			b.WriteByte(0x92)
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

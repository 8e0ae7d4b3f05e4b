// Package web is the classroom server: one page (embedded HTML, CSS and
// JavaScript, no CDN and no build step) where students move policy levers
// and see China's AI capacity re-simulated, and the JSON API behind it.
package web

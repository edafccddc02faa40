// guidegen: a video service's player, loaded into the page only when the reader asks for it.
// Without this script (or without JavaScript) the video is a link and a QR code, and nothing of
// the service is loaded. Each [data-video-embed] holds a button; a click replaces it with the player.
'use strict';
for (const box of document.querySelectorAll('[data-video-embed]')) {
  const button = box.querySelector('button');
  const src = box.getAttribute('data-video-embed');
  if (!button || !src || !src.startsWith('https://')) continue;
  button.addEventListener('click', () => {
    const frame = document.createElement('iframe');
    frame.src = src;
    frame.title = box.getAttribute('data-video-title') || '';
    frame.allow = 'autoplay; encrypted-media; fullscreen; picture-in-picture';
    frame.allowFullscreen = true;
    frame.referrerPolicy = 'strict-origin-when-cross-origin';
    frame.className = 'video-frame';
    box.replaceChildren(frame);
    frame.focus();
  });
  box.hidden = false;
}

//! Serve: the snapshot being served, swapped whole on every rebuild, and the event stream that tells
//! open pages a new one is there (server-sent events on `/__guidegen/events`).

use std::io::{self, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock};
use std::time::Duration;

use super::Snapshot;

/// Where open pages listen for rebuilds.
pub const EVENTS_PATH: &str = "/__guidegen/events";

/// A comment this often keeps proxies and browsers from closing a quiet stream, and finds clients
/// that went away (the write fails).
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// More event streams than this is a runaway client, not a writer's tabs.
pub const MAX_STREAMS: usize = 64;

/// The served snapshot and the news of the next one.
pub struct Live {
    /// Requests clone the `Arc` and let go of the lock at once: a rebuild's swap is one pointer
    /// store, and every request sees a whole snapshot, old or new.
    current: RwLock<Arc<Snapshot>>,
    news: Mutex<News>,
    wake: Condvar,
    streams: AtomicUsize,
}

#[derive(Clone, Copy)]
struct News {
    generation: u64,
    closed: bool,
}

/// What a stream waiting for news hears.
#[derive(Debug, PartialEq, Eq)]
pub enum Heard {
    Generation(u64),
    Nothing,
    Closed,
}

impl Live {
    pub fn new(snapshot: Arc<Snapshot>) -> Live {
        let generation = snapshot.generation;
        Live {
            current: RwLock::new(snapshot),
            news: Mutex::new(News {
                generation,
                closed: false,
            }),
            wake: Condvar::new(),
            streams: AtomicUsize::new(0),
        }
    }

    pub fn current(&self) -> Arc<Snapshot> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Serves `snapshot` from now on and tells every open page.
    pub fn publish(&self, snapshot: Arc<Snapshot>) {
        let generation = snapshot.generation;
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = snapshot;
        self.news
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .generation = generation;
        self.wake.notify_all();
    }

    /// Ends every event stream (the server stops).
    pub fn close(&self) {
        self.news
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .closed = true;
        self.wake.notify_all();
    }

    /// Waits up to `timeout` for a generation other than `seen`.
    pub fn wait(&self, seen: u64, timeout: Duration) -> Heard {
        let news = self.news.lock().unwrap_or_else(PoisonError::into_inner);
        let (news, _) = self
            .wake
            .wait_timeout_while(news, timeout, |n| !n.closed && n.generation == seen)
            .unwrap_or_else(PoisonError::into_inner);
        match *news {
            News { closed: true, .. } => Heard::Closed,
            News { generation, .. } if generation != seen => Heard::Generation(generation),
            _ => Heard::Nothing,
        }
    }

    /// Counts an event stream in, or refuses it (None) when there are too many.
    pub fn join(self: &Arc<Live>) -> Option<StreamSlot> {
        let before = self.streams.fetch_add(1, Ordering::SeqCst);
        let slot = StreamSlot(Arc::clone(self));
        (before < MAX_STREAMS).then_some(slot)
    }

    /// How many event streams are open.
    #[cfg(test)]
    pub fn streams(&self) -> usize {
        self.streams.load(Ordering::SeqCst)
    }

    /// Writes an event stream to `writer` (a raw connection) until the client goes or the server
    /// stops: the response head, the current generation at once, then each new one.
    pub fn stream(&self, writer: &mut dyn Write) -> io::Result<()> {
        writer.write_all(
            b"HTTP/1.1 200 OK\r\n\
              Content-Type: text/event-stream; charset=utf-8\r\n\
              Cache-Control: no-store\r\n\
              X-Content-Type-Options: nosniff\r\n\
              Connection: close\r\n\r\n\
              retry: 1000\n\n",
        )?;
        let mut seen = self.current().generation;
        writer.write_all(generation_event(seen).as_bytes())?;
        writer.flush()?;
        loop {
            match self.wait(seen, KEEP_ALIVE) {
                Heard::Generation(generation) => {
                    seen = generation;
                    writer.write_all(generation_event(generation).as_bytes())?;
                }
                Heard::Nothing => writer.write_all(b": keep-alive\n\n")?,
                Heard::Closed => return Ok(()),
            }
            writer.flush()?;
        }
    }
}

/// One event stream counted in [`Live`]; counted out when dropped.
pub struct StreamSlot(Arc<Live>);

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.0.streams.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The event a page compares with the generation it was served from.
pub fn generation_event(generation: u64) -> String {
    format!("event: generation\ndata: {generation}\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn snapshot(generation: u64) -> Arc<Snapshot> {
        Arc::new(Snapshot {
            files: BTreeMap::new(),
            generation,
            problems: Vec::new(),
        })
    }

    #[test]
    fn waiting_hears_a_new_generation_or_times_out() {
        let live = Arc::new(Live::new(snapshot(1)));
        assert_eq!(live.wait(1, Duration::from_millis(10)), Heard::Nothing);
        let publisher = Arc::clone(&live);
        let handle = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            publisher.publish(snapshot(2));
        });
        assert_eq!(live.wait(1, Duration::from_secs(5)), Heard::Generation(2));
        handle.join().unwrap();
        assert_eq!(live.current().generation, 2);
        live.close();
        assert_eq!(live.wait(2, Duration::from_secs(5)), Heard::Closed);
    }

    #[test]
    fn the_stream_starts_with_the_current_generation_and_ends_on_close() {
        let live = Arc::new(Live::new(snapshot(7)));
        live.close();
        let mut written = Vec::new();
        live.stream(&mut written).unwrap();
        let text = String::from_utf8(written).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"));
        assert!(text.contains("Content-Type: text/event-stream"));
        assert!(text.ends_with("event: generation\ndata: 7\n\n"));
    }

    #[test]
    fn too_many_streams_are_refused() {
        let live = Arc::new(Live::new(snapshot(1)));
        let slots: Vec<_> = (0..MAX_STREAMS).map(|_| live.join().unwrap()).collect();
        assert!(live.join().is_none());
        drop(slots);
        assert!(live.join().is_some());
    }
}

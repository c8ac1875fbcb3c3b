use std::marker::PhantomData;

use identrail_sys as sys;

/// Items of an engine read by index and copied one at a time; the borrow it
/// was made from keeps the engine alive and unchanged.
pub struct Indexed<'a, T> {
    engine: *const sys::idt_engine,
    next: usize,
    end: usize,
    read: unsafe fn(*const sys::idt_engine, usize) -> T,
    borrow: PhantomData<&'a ()>,
}

impl<T> Indexed<'_, T> {
    /// # Safety
    /// `engine` lives, unchanged, for the lifetime; `read(engine, i)` is sound for every `i < end`.
    pub(crate) unsafe fn new(
        engine: *const sys::idt_engine,
        end: usize,
        read: unsafe fn(*const sys::idt_engine, usize) -> T,
    ) -> Self {
        Indexed {
            engine,
            next: 0,
            end,
            read,
            borrow: PhantomData,
        }
    }
}

impl<T> Iterator for Indexed<'_, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        if self.next >= self.end {
            return None;
        }
        self.next += 1;
        // SAFETY: next - 1 < end, which `new` was promised is readable.
        Some(unsafe { (self.read)(self.engine, self.next - 1) })
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.end - self.next, Some(self.end - self.next))
    }
}

impl<T> ExactSizeIterator for Indexed<'_, T> {}

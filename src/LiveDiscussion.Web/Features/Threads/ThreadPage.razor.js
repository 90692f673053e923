// Browser-side help for the live thread page: where new replies are relative to the reader, and a remembered choice.

const observers = new Map();

export function getPreference(key) {
    return window.localStorage.getItem(key);
}

export function setPreference(key, value) {
    window.localStorage.setItem(key, value);
}

function isInView(element) {
    const box = element.getBoundingClientRect();
    return box.bottom > 0 && box.top < window.innerHeight;
}

// Returns the ids of the replies the reader cannot see now, and tells .NET (MarkSeen) when each comes into view.
export function watchUnseen(page, ids) {
    const unseen = [];
    for (const id of ids) {
        const element = document.getElementById(`reply-${id}`);
        if (!element || isInView(element)) {
            continue;
        }
        unseen.push(id);
        const observer = new IntersectionObserver(entries => {
            if (entries.some(entry => entry.isIntersecting)) {
                observer.disconnect();
                observers.delete(id);
                page.invokeMethodAsync("MarkSeen", id);
            }
        });
        observers.set(id, observer);
        observer.observe(element);
    }
    return unseen;
}

export function scrollToReply(id) {
    const element = document.getElementById(`reply-${id}`);
    if (element) {
        element.scrollIntoView({ behavior: "smooth", block: "center" });
    }
}

export function forgetAll() {
    for (const observer of observers.values()) {
        observer.disconnect();
    }
    observers.clear();
}

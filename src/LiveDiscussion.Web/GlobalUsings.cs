// System.Threading also has a ThreadState; in this project it is always the discussion thread's.
global using ThreadState = LiveDiscussion.Contracts.ThreadState;

import CaseStore
import Casework
import Foundation
import Synchronization

/// Connects `AppState` to a store: feeds events in, carries out the effects `update` returns
/// and feeds their results back. The run loop uses it with a real terminal; tests use it with
/// key sequences and a temporary store.
public final class AppDriver {
  public private(set) var state: AppState
  public let store: Store
  public let user: String
  /// The mentor records of the user; non-empty puts the app in mentor mode, where nothing but
  /// the user's mentees (as `MenteeView`s) ever leaves the store.
  public let mentorIDs: Set<String>
  /// The folder a relative export path is written in (the working folder when nil; tests give a
  /// temporary one, so no key sequence ever writes into the folder the tests run from).
  public var exportFolder: String?

  public init(state: AppState, store: Store, user: String, mentorIDs: Set<String> = []) {
    var state = state
    if !mentorIDs.isEmpty { state.enterMentorMode() }
    self.state = state
    self.store = store
    self.user = user
    self.mentorIDs = mentorIDs
  }

  /// Hears what other sessions save (a shared database), or nil.
  private var watcher: (any ChangeWatcher)?

  /// Whether changes made elsewhere are heard (the run loop then polls for them).
  public var isWatching: Bool { watcher != nil }

  /// Starts hearing what other sessions save, where the store can tell.
  public func watchChanges() {
    guard watcher == nil else { return }
    watcher = store.watchChanges()
  }

  /// Shows what other sessions changed since last asked: the list's rows, the open case file
  /// (or, while it is being edited, a warning that a save will meet a conflict), the records.
  public func collectChanges() {
    guard let changes = watcher?.take(), !changes.isEmpty else { return }
    // A mentor hears only of their own mentees' cases: their list is read again, as views.
    if !mentorIDs.isEmpty {
      if !changes.cases.isEmpty { perform([.loadMentees]) }
      return
    }
    perform([.refresh(changes)])
  }

  deinit { watcher?.stop() }

  /// Loads the case list and records (or, for a mentor, the mentees); call once before the first frame.
  public func start() {
    perform(mentorIDs.isEmpty ? [.reloadList, .loadRecords] : [.loadMentees])
  }

  /// Like `start`, but shows the list the index last recorded at once and checks every case
  /// file on another thread (`isChecking` until `collectCheck` has applied the result). At
  /// 100,000 cases the check stats every file, which takes longer than reading the index.
  ///
  /// Without a usable index (a first opening, a deleted index, changed rules) every file must be
  /// read: the app waits up to `coldWait` for that, so a small store shows its list in the first
  /// frame, and past it shows an empty list that says the files are being read, with a count.
  public func startInBackground(coldWait: Duration = .milliseconds(300)) {
    guard mentorIDs.isEmpty else { return start() }
    let quick = store.listFromIndex()
    if let quick {
      perform(state.apply(.listed(quick)))
    } else {
      state.list.readingFiles = true
    }
    perform([.loadRecords])
    if quick != nil && !store.backend.cachedListingMayBeStale { return }
    checkInBackground()
    if quick == nil {
      let clock = ContinuousClock()
      let deadline = clock.now + coldWait
      // The deadline first: with no wait the first frame shows "reading" even when a small
      // store's files happen to be read already (the next tick collects them).
      while clock.now < deadline && !collectCheck() { usleep(5_000) }
    }
  }

  /// True while the background check of the case files runs.
  public private(set) var isChecking = false
  private let checked = Mailbox()
  private var progress = Store.ListProgress()
  private var changesWhenChecked = 0

  private func checkInBackground() {
    isChecking = true
    state.list.checkingFiles = true
    state.list.fetchingRest = store.backend.cachedListingIsFirstPage
    changesWhenChecked = state.list.changes
    let store = self.store
    let checked = self.checked
    let progress = Store.ListProgress()
    self.progress = progress
    Thread.detachNewThread {
      let result = Result { () throws(StoreError) in try store.list(progress: progress) }
      checked.value.withLock { $0 = result }
    }
  }

  /// Where the checking thread leaves its result.
  private final class Mailbox: Sendable {
    let value = Mutex<Result<Listing, StoreError>?>(nil)
  }

  /// Applies the background check's result once it is there; false while it still runs.
  @discardableResult
  public func collectCheck() -> Bool {
    guard isChecking else { return true }
    guard let result = checked.value.withLock({ r in defer { r = nil }; return r }) else {
      state.list.filesRead = progress.filesRead
      return false
    }
    isChecking = false
    state.list.checkingFiles = false
    state.list.readingFiles = false
    if state.list.changes != changesWhenChecked {
      // A save or delete landed while the files were checked: check again so it is not undone.
      checkInBackground()
      return false
    }
    switch result {
    case .success(let listing): perform(state.apply(.listed(listing)))
    case .failure(let error): perform(state.apply(.failed(error, during: .reloadList)))
    }
    return true
  }

  public func send(_ event: Event) {
    perform(state.update(event))
  }

  public func send(_ keys: [Key]) {
    for key in keys { send(.key(key)) }
  }

  /// Types text as single key presses.
  public func type(_ text: String) {
    for c in text { send(.key(c == "\n" ? .enter : .character(c))) }
  }

  public var isRunning: Bool { state.isRunning }

  public func render() -> ScreenBuffer {
    var buffer = ScreenBuffer(rows: state.rows, columns: state.columns)
    state.render(into: &buffer)
    return buffer
  }

  private func perform(_ effects: [Effect]) {
    var queue = effects
    while !queue.isEmpty {
      let effect = queue.removeFirst()
      queue += state.apply(run(effect))
    }
  }

  /// Records the disclosure first, then writes the file (0600), so nothing leaves unlogged.
  private func export(_ id: CaseID, _ kind: ExportKind, language: Language, path: String) -> EffectResult {
    let strings: Strings
    do {
      strings = language == state.strings.language ? state.strings : try Strings.load(language)
    } catch {
      return .exportFailed(nil, message: "\(error)")
    }
    var expanded = path.hasPrefix("~/") ? FileManager.default.homeDirectoryForCurrentUser.path + path.dropFirst(1) : path
    if let exportFolder, !expanded.hasPrefix("/") { expanded = exportFolder + "/" + expanded }
    do {
      try PrivateFile.checkFolder(of: expanded)
      var stored = try store.load(id)
      let export = try Export(
        kind, document: stored.document, content: state.content, strings: strings, by: user, today: state.today,
        now: state.now())
      do {
        stored = try store.disclose(export.disclosure, of: stored, now: state.now()) {
          try PrivateFile.write(export.data, to: expanded)
        }
      } catch let failed as ExportNotWritten {
        // The disclosure (marked not sent) is on the case: show the case as it is now.
        return .exportFailed((try? store.load(id)) ?? stored, message: "\(failed.underlying)")
      }
      return .exported(stored, path: expanded)
    } catch let error as StoreError {
      return .exportFailed(nil, message: error.description)
    } catch {
      return .exportFailed(nil, message: "\(error)")
    }
  }

  private func run(_ effect: Effect) -> EffectResult {
    do {
      if !mentorIDs.isEmpty {
        // Mentor mode: only the mentee views cross from the store to the screen.
        switch effect {
        case .loadMentees: return .menteesLoaded(try store.mentees(of: mentorIDs))
        case .logCheckIn(let draft, let id):
          return .checkInLogged(try store.logCheckIn(draft, caseID: id, mentorIDs: mentorIDs, by: user, now: state.now()))
        default: return .failed(.recordNotFound(noun: "screen", id: "mentor"), during: effect)
        }
      }
      switch effect {
      case .reloadList:
        return .listed(try store.list())
      case .refresh(let changes):
        var updated: [StoredCase] = []
        var gone: [CaseID] = []
        for id in changes.cases.sorted() {
          do {
            updated.append(try store.load(id))
          } catch .notFound {
            gone.append(id)  // trashed, erased, or no longer this user's to see
          }
        }
        return .changedElsewhere(updated: updated, gone: gone, records: changes.records)
      case .open(let id):
        return .opened(try store.open(id, by: user, now: state.now()))
      case .create(let draft):
        return .created(try store.create(draft, by: user, now: state.now()))
      case .save(let document, let base, let purpose):
        return .saved(try store.save(document, basedOn: base, by: user, now: state.now()), purpose)
      case .reload(let id, let purpose):
        return .reloaded(try store.load(id), purpose)
      case .export(let id, let kind, let language, let path):
        return export(id, kind, language: language, path: path)
      case .loadRecords:
        // Only the kinds the role may see; the others stay empty (their screens say so).
        func read<R: StoreRecord>(_ type: R.Type) throws(StoreError) -> (records: [StoredRecord<R>], damaged: [DamagedFile]) {
          if let viewer = store.viewer, !viewer.mayRead(kind: R.kind) { return ([], []) }
          return try store.records(type)
        }
        let groups = try read(TrainingGroup.self)
        let mentors = try read(Mentor.self)
        let openings = try read(Opening.self)
        let fairs = try read(JobFair.self)
        let employers = try read(Employer.self)
        let services = try read(Service.self)
        var cache = RecordCache(
          groups: groups.records, mentors: mentors.records, openings: openings.records, fairs: fairs.records,
          employers: employers.records)
        cache.services = services.records
        cache.mentorLoad = try? store.openPairsPerMentor(recorded: true)
        cache.loaded = true
        return .recordsLoaded(
          cache,
          damaged: groups.damaged + mentors.damaged + openings.damaged + fairs.damaged + employers.damaged + services.damaged)
      case .saveGroup(let group, let base, let message):
        if let base { return .groupSaved(try store.save(group, basedOn: base, by: user, now: state.now()), message: message) }
        return .groupSaved(try store.create(group, by: user, now: state.now()), message: message)
      case .saveMentor(let mentor, let base):
        if let base { return .mentorSaved(try store.save(mentor, basedOn: base, by: user, now: state.now())) }
        return .mentorSaved(try store.create(mentor, by: user, now: state.now()))
      case .loadHistory(let id):
        return .historyLoaded(id, try store.history(of: id))
      case .loadCandidates(let opening):
        let pool = try store.candidatePool()
        if !pool.isEmpty {
          try store.journal.append(
            JournalEntry(at: state.now(), user: user, action: .read, caseID: nil, detail: "candidates for \(opening) (\(pool.count) cases)"))
        }
        return .candidatesLoaded(opening, pool)
      case .saveEmployer(let employer, let base):
        if let base { return .jobRecordSaved(.employer(try store.save(employer, basedOn: base, by: user, now: state.now()))) }
        return .jobRecordSaved(.employer(try store.create(employer, by: user, now: state.now())))
      case .saveOpening(let opening, let base):
        if let base { return .jobRecordSaved(.opening(try store.save(opening, basedOn: base, by: user, now: state.now()))) }
        return .jobRecordSaved(.opening(try store.create(opening, by: user, now: state.now())))
      case .saveService(let service, let base):
        if let base { return .jobRecordSaved(.service(try store.save(service, basedOn: base, by: user, now: state.now()))) }
        return .jobRecordSaved(.service(try store.create(service, by: user, now: state.now())))
      case .placeInOpening(let id, let opening):
        return .openingPlaced(try store.place(id, in: opening, by: user, now: state.now()))
      case .saveFair(let fair, let base, let message):
        if let base { return .jobRecordSaved(.fair(try store.save(fair, basedOn: base, by: user, now: state.now()), message: message)) }
        return .jobRecordSaved(.fair(try store.create(fair, by: user, now: state.now()), message: message))
      case .loadPairs:
        return .pairsLoaded(try store.casesWithPairs(openOnly: false))
      case .loadMentees, .logCheckIn:
        return .failed(.recordNotFound(noun: "mentor", id: user), during: effect)
      }
    } catch {
      return .failed(error, during: effect)
    }
  }
}

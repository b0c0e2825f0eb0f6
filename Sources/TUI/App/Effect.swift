import CaseStore
import Casework

/// Why a case is saved, so the result goes back to the screen that asked.
public enum SavePurpose: Sendable, Equatable {
  case form, note, assessment
  /// A one-key change; the status line shows the text of this strings key.
  case quick(String)
  /// A draft form over part of the case (a mentoring pair); closes the form, shows this key.
  case draft(String)
}

/// Why a case is read again from the store.
public enum ReloadPurpose: Sendable, Equatable {
  /// After a conflict: take the stored version and re-apply the pending edits on top.
  case reapply
  /// After a conflict: show the stored version next to the pending edits.
  case differences
}

/// Work the run loop does against the store on behalf of `AppState.update`; the result comes
/// back through `AppState.apply(_:)`. Keeping I/O out of `update` keeps it pure and testable.
public enum Effect: Sendable {
  case reloadList
  case open(CaseID)
  case create(CaseDocument)
  case save(CaseDocument, basedOn: StoredCase, purpose: SavePurpose)
  case reload(CaseID, purpose: ReloadPurpose)
  /// Write a CV or a share summary of the case to `path`, recording the disclosure in the case.
  case export(CaseID, ExportKind, language: Language, path: String)
  /// Read the training groups and the mentor registry.
  case loadRecords
  /// Create (no base) or save a training group; `message` is a strings key for the status line.
  case saveGroup(TrainingGroup, basedOn: StoredRecord<TrainingGroup>?, message: String)
  /// Create (no base) or save a mentor.
  case saveMentor(Mentor, basedOn: StoredRecord<Mentor>?)
  /// Read the case files that have mentoring pairs (for the pair list and report).
  case loadPairs
  /// Mentor mode: read my mentees as I may see them.
  case loadMentees
  /// Mentor mode: add a check-in to my mentee's open pair.
  case logCheckIn(CheckIn, CaseID)
  /// Read the audit journal's entries about a case (its History tab).
  case loadHistory(CaseID)
  /// Read the open cases in bridging or matching to rank for an opening (journalled as a read).
  case loadCandidates(String)
  /// Create (no base) or save an employer, an opening, a job fair (`message`: a strings key).
  case saveEmployer(Employer, basedOn: StoredRecord<Employer>?)
  case saveOpening(Opening, basedOn: StoredRecord<Opening>?)
  case saveFair(JobFair, basedOn: StoredRecord<JobFair>?, message: String)
  /// Create (no base) or save a service of the guide.
  case saveService(Service, basedOn: StoredRecord<Service>?)
  /// A case hired or taken on from an opening: the opening counts the place (and closes when full).
  case placeInOpening(CaseID, String)
  /// Read again what another session changed (a shared database's notifications).
  case refresh(StoreChanges)
}

/// What came of an effect.
public enum EffectResult: Sendable {
  case listed(Listing)
  case opened(StoredCase)
  case created(StoredCase)
  case saved(StoredCase, SavePurpose)
  case reloaded(StoredCase, ReloadPurpose)
  case exported(StoredCase, path: String)
  /// An export that could not be written (the disclosure was already recorded in `stored`).
  case exportFailed(StoredCase?, message: String)
  case recordsLoaded(RecordCache, damaged: [DamagedFile])
  case groupSaved(StoredRecord<TrainingGroup>, message: String)
  case mentorSaved(StoredRecord<Mentor>)
  case pairsLoaded([CaseDocument])
  case menteesLoaded(Mentees)
  case checkInLogged(MenteeView)
  case historyLoaded(CaseID, [JournalEntry])
  /// The pool of candidates for an opening.
  case candidatesLoaded(String, [CaseDocument])
  case jobRecordSaved(SavedJobRecord)
  /// The opening after a placement (nil: unknown, or the case was placed already).
  case openingPlaced(StoredRecord<Opening>?)
  /// Cases another session changed, as this user may now see them, and those gone from view.
  case changedElsewhere(updated: [StoredCase], gone: [CaseID], records: Bool)
  case failed(StoreError, during: Effect)
}
